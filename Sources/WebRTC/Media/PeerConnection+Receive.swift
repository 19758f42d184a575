import Foundation
import RTP
import SDP

extension PeerConnection {
    /// One transport event: RTP and RTCP go through the pipelines, the rest is passed on.
    func handle(_ event: consuming WebRTCTransportEvent) {
        switch consume event {
        case .rtp(let bytes):
            // The packet owns the datagram's buffer from here (no copy of the payload).
            guard let packet = try? RTPPacket(taking: bytes) else {
                drops.malformedRTP += 1
                return
            }
            receive(packet)
        case .rtcp(let bytes):
            guard let packets = try? RTCPPacket.parseCompound(bytes) else {
                drops.malformedRTCP += 1
                return
            }
            for packet in packets { handle(packet) }
        case let other:
            continuation.yield(.transport(other))
        }
    }

    /// The media section and codec of a payload type; RTX payload types resolve to the
    /// payload type they repair (`apt`, RFC 4588 §8.6) with `isRetransmission`.
    func resolve(_ payloadType: UInt8) -> (section: SDPNegotiatedMedia, codec: SDPCodec, originalType: UInt8, isRetransmission: Bool)? {
        for section in media {
            if let codec = section.codecs.first(where: { $0.payloadType == payloadType })?.codec {
                return (section, codec, payloadType, false)
            }
            if let original = section.retransmission[payloadType], let codec = section.codecs.first(where: { $0.payloadType == original })?.codec {
                return (section, codec, original, true)
            }
        }
        return nil
    }

    func receive(_ packet: RTPPacket) {
        guard let (section, codec, originalType, isRetransmission) = resolve(packet.payloadType) else {
            drops.unknownPayloadType += 1
            return
        }
        var packet = packet
        if isRetransmission {
            // The repaired source: the one media SSRC of this section that is not an RTX SSRC.
            guard let target = receiveStreams.values.first(where: { $0.mid == section.mid && $0.codec.kind == codec.kind }),
                let original = RTXEncoder.unwrap(packet, originalPayloadType: originalType, originalSSRC: target.ssrc)
            else { return }
            packet = original
        }
        let now = ContinuousClock.now
        if receiveStreams[packet.ssrc] == nil { receiveStreams[packet.ssrc] = ReceiveStream(mid: section.mid, codec: codec, ssrc: packet.ssrc, now: now) }
        // Mutated in place (a copy would copy the stream's buffers).
        let frames = receiveStreams[packet.ssrc]?.receive(packet, now: now, unixSeconds: Date().timeIntervalSince1970) ?? []
        for frame in frames { continuation.yield(.frame(frame)) }
    }

    func handle(_ packet: RTCPPacket) {
        let now = ContinuousClock.now
        switch packet {
        case .senderReport(let report):
            receiveStreams[report.ssrc]?.statistics.senderReport(report, now: now)
            receiveStreams[report.ssrc]?.clock.senderReport(report)
            updateRoundTripTime(report.reports)
        case .receiverReport(let report):
            updateRoundTripTime(report.reports)
        case .nack(let nack):
            guard let mid = sendStreams.first(where: { $0.value.ssrc == nack.mediaSSRC })?.key, let packets = sendStreams[mid]?.retransmit(nack.lost) else { return }
            let transport = transport
            Task { for packet in packets { _ = try? await transport.sendRTP(packet.bytes) } }
        case .pictureLossIndication(_, let mediaSSRC):
            keyframeRequested(ssrc: mediaSSRC)
        case .fullIntraRequest(let request):
            for entry in request.entries { keyframeRequested(ssrc: entry.ssrc) }
        default:
            break
        }
    }

    func keyframeRequested(ssrc: UInt32) {
        guard let mid = sendStreams.first(where: { $0.value.ssrc == ssrc })?.key else { return }
        sendStreams[mid]?.stats.pliCount += 1
        continuation.yield(.keyframeRequested(mid: mid))
    }

    func updateRoundTripTime(_ blocks: [RTCPReportBlock]) {
        let arrival = NTPTimestamp.from(unixSeconds: Date().timeIntervalSince1970)
        for block in blocks where sendStreams.values.contains(where: { $0.ssrc == block.ssrc }) {
            if let rtt = NTPTimestamp.roundTripTime(arrivalNTP: arrival, block: block) { roundTripTime = rtt }
        }
    }

    /// Feedback timers: gaps given up, NACKs, PLIs; every second SR/RR with SDES.
    func tick(now: ContinuousClock.Instant, report: Bool) async {
        var feedback: [RTCPPacket] = []
        for ssrc in receiveStreams.keys {
            guard let (frames, lost) = receiveStreams[ssrc]?.tick(now: now, roundTripTime: roundTripTime) else { continue }
            let pli = receiveStreams[ssrc]?.pictureLossIndicationDue(now: now) ?? false
            for frame in frames { continuation.yield(.frame(frame)) }
            if !lost.isEmpty { feedback.append(.nack(RTCPNack(senderSSRC: reportSSRC, mediaSSRC: ssrc, lost: lost))) }
            if pli { feedback.append(.pictureLossIndication(senderSSRC: reportSSRC, mediaSSRC: ssrc)) }
        }
        if report { feedback = reports(now: now) + feedback }
        guard !feedback.isEmpty else { return }
        _ = try? await transport.sendRTCP(RTCPPacket.compound(feedback))
    }

    /// SR for each sending source (the first carrying the report blocks) or an RR, then SDES
    /// CNAME (RFC 3550 §6.1: a compound packet starts with SR or RR and carries SDES).
    func reports(now: ContinuousClock.Instant) -> [RTCPPacket] {
        var blocks: [RTCPReportBlock] = []
        for ssrc in receiveStreams.keys.sorted() {
            if let block = receiveStreams[ssrc]?.statistics.reportBlock(now: now) { blocks.append(block) }
        }
        let unixSeconds = Date().timeIntervalSince1970
        var packets: [RTCPPacket] = []
        for (index, stream) in sendStreams.values.sorted(by: { $0.ssrc < $1.ssrc }).enumerated() {
            if let report = stream.statistics.senderReport(unixSeconds: unixSeconds, reports: index == 0 ? blocks : []) { packets.append(.senderReport(report)) }
        }
        if packets.isEmpty { packets.append(.receiverReport(RTCPReceiverReport(ssrc: reportSSRC, reports: blocks))) }
        let sources = (sendStreams.values.map(\.ssrc) + [reportSSRC]).map { RTCPSourceDescription(ssrc: $0, items: [RTCPSourceDescriptionItem(type: RTCPSourceDescription.cname, text: cname)]) }
        packets.append(.sourceDescription(sources))
        return packets
    }
}
