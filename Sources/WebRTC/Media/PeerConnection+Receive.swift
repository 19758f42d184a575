import Foundation
import RTP
import SDP

extension PeerConnection {
    /// One transport event besides the media the pipeline takes on the event loop once
    /// attached (RTP, and RTCP for `handle(_: RTCPPacket)`): the rest passed on.
    func handle(_ event: consuming WebRTCTransportEvent) async {
        switch consume event {
        case .rtp(let bytes):
            // Only before the pipeline was attached; it takes the packet all the same.
            _ = await onPipeline { $0.receiveRTP(bytes, now: .now) }
        case .rtcp(let bytes):
            // Only before the pipeline was attached.
            guard let packets = try? RTCPPacket.parseCompound(bytes) else { return }
            for packet in packets { handle(packet) }
        case let other:
            continuation.yield(.transport(other))
        }
    }

    /// RTCP for the send side, on the transport's event loop.
    func handle(_ packet: RTCPPacket) {
        switch packet {
        case .senderReport(let report):
            // Its receive side (clock mapping, statistics) is the pipeline's.
            updateRoundTripTime(report.reports)
        case .receiverReport(let report):
            updateRoundTripTime(report.reports)
        case .nack(let nack):
            guard let mid = sendStreams.first(where: { $0.value.ssrc == nack.mediaSSRC })?.key, let packets = sendStreams[mid]?.retransmit(nack.lost) else { return }
            // RFC 4585 §6.2.1 via RFC 4588: the retransmissions go out from the loop (the NACK
            // is handled while the transport reads; sending waits for the end of that read).
            let (transport, datagrams) = (transport, packets.map(\.bytes))
            transport.eventLoop.execute { _ = transport.sendRTPOnLoop(packets: datagrams) }
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

    /// Every second: SR/RR with the receive side's report blocks, and SDES (RFC 3550 §6.1);
    /// on the transport's event loop.
    func sendReports() {
        guard let pipeline = pipeline?.value else { return }
        // A receive-only connection has no report blocks about its own sending: the ICE
        // round trip (consent checks, RFC 7675) stands in.
        pipeline.roundTripTime = roundTripTime ?? transport.statsOnLoop?.roundTripTime
        _ = transport.sendRTCPOnLoop(RTCPPacket.compound(reports(blocks: pipeline.reportBlocks(now: .now))))
    }

    /// SR for each sending source (the first carrying the report blocks) or an RR, then SDES
    /// CNAME (RFC 3550 §6.1: a compound packet starts with SR or RR and carries SDES).
    func reports(blocks: [RTCPReportBlock]) -> [RTCPPacket] {
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
