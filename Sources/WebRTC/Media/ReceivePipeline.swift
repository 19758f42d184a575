import Foundation
import RTP
import SDP

/// The receive side of a ``PeerConnection``, run on its transport's event loop: each
/// decrypted packet goes through its source's ``ReceiveStream`` as the transport reads it,
/// completed frames go to the frame handler (or the connection's `events`), and the tick
/// sends NACKs and PLIs — no task hop per packet.
final class ReceivePipeline: TransportMediaReceiver {
    /// A new negotiation sends every source back through ``resolve(_:)`` once.
    var media: [SDPNegotiatedMedia] {
        didSet { for stream in streams.values { stream.resolvedPayloadType = nil } }
    }
    var streams: [UInt32: ReceiveStream] = [:]
    /// Received packets dropped before any stream took them.
    var drops = ReceiveDrops()
    /// From the send side's reports, else ICE (NACK timing and the reorder wait use it); set
    /// by the connection.
    var roundTripTime: Duration?
    /// Takes each frame on the event loop; nil: frames go to `events`.
    var frameHandler: (@Sendable (ReceivedFrame) -> Void)?
    /// Takes each compound RTCP packet's parts on the event loop, after the receive side
    /// took its sender reports: the send side's NACKs, keyframe requests and report blocks.
    var rtcpHandler: (([RTCPPacket]) -> Void)?
    let events: AsyncStream<PeerConnectionEvent>.Continuation
    let activity: ReceiveActivity
    let reportSSRC: UInt32

    init(media: [SDPNegotiatedMedia], events: AsyncStream<PeerConnectionEvent>.Continuation, activity: ReceiveActivity, reportSSRC: UInt32) {
        self.media = media
        self.events = events
        self.activity = activity
        self.reportSSRC = reportSSRC
    }

    func receiveRTP(_ bytes: consuming [UInt8], now: ContinuousClock.Instant) {
        // The packet owns the datagram's buffer from here (no copy of the payload).
        guard let packet = try? RTPPacket(taking: bytes) else {
            drops.malformedRTP += 1
            return
        }
        receive(packet, now: now)
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

    func receive(_ packet: RTPPacket, now: ContinuousClock.Instant) {
        // A known source sending the payload type it was resolved with (almost every packet)
        // needs no look-up in the negotiation, which copies a media section per packet.
        if let stream = streams[packet.ssrc], stream.resolvedPayloadType == packet.payloadType {
            return deliver(stream.receive(packet, now: now, unixSeconds: Date().timeIntervalSince1970))
        }
        guard let (section, codec, originalType, isRetransmission) = resolve(packet.payloadType) else {
            drops.unknownPayloadType += 1
            return
        }
        var packet = packet
        if isRetransmission {
            // The repaired source: the one media SSRC of this section that is not an RTX SSRC.
            guard let target = streams.values.first(where: { $0.mid == section.mid && $0.codec.kind == codec.kind }),
                let original = RTXEncoder.unwrap(packet, originalPayloadType: originalType, originalSSRC: target.ssrc)
            else { return }
            packet = original
        }
        let stream: ReceiveStream
        if let known = streams[packet.ssrc] {
            stream = known
        } else {
            stream = ReceiveStream(mid: section.mid, codec: codec, ssrc: packet.ssrc, now: now)
            streams[packet.ssrc] = stream
        }
        // An RTX packet, unwrapped, carries its original (resolved) payload type.
        stream.resolvedPayloadType = packet.payloadType
        deliver(stream.receive(packet, now: now, unixSeconds: Date().timeIntervalSince1970))
    }

    /// Sender reports place the sources' RTP clocks on the wall clock (RFC 3550 §6.4.1);
    /// then the whole compound packet goes to the RTCP handler.
    func receiveRTCP(_ bytes: [UInt8], now: ContinuousClock.Instant) {
        guard let packets = try? RTCPPacket.parseCompound(bytes) else {
            drops.malformedRTCP += 1
            return
        }
        for case .senderReport(let report) in packets {
            streams[report.ssrc]?.statistics.senderReport(report, now: now)
            streams[report.ssrc]?.clock.senderReport(report)
        }
        rtcpHandler?(packets)
    }

    /// Gaps given up, NACKs (RFC 4585 §6.2.1) and PLIs (§6.3.1) due now.
    func tick(now: ContinuousClock.Instant) -> [UInt8]? {
        var feedback: [RTCPPacket] = []
        for ssrc in streams.keys {
            guard let (frames, lost) = streams[ssrc]?.tick(now: now, roundTripTime: roundTripTime) else { continue }
            let pli = streams[ssrc]?.pictureLossIndicationDue(now: now) ?? false
            deliver(frames)
            if !lost.isEmpty { feedback.append(.nack(RTCPNack(senderSSRC: reportSSRC, mediaSSRC: ssrc, lost: lost))) }
            if pli { feedback.append(.pictureLossIndication(senderSSRC: reportSSRC, mediaSSRC: ssrc)) }
        }
        guard !feedback.isEmpty else { return nil }
        return RTCPPacket.compound(feedback)
    }

    /// A report block per received source, for the connection's SR or RR.
    func reportBlocks(now: ContinuousClock.Instant) -> [RTCPReportBlock] {
        streams.keys.sorted().compactMap { streams[$0]?.statistics.reportBlock(now: now) }
    }

    /// A PLI goes out at the next tick, rate-limited, until a keyframe arrives.
    func requestKeyframe() {
        for ssrc in streams.keys where streams[ssrc]?.codec.kind == .video {
            streams[ssrc]?.needsKeyframe = true
        }
    }

    var inboundStats: [InboundStreamStats] { streams.values.map(\.stats).sorted { $0.ssrc < $1.ssrc } }

    private func deliver(_ frames: [ReceivedFrame]) {
        guard !frames.isEmpty else { return }
        activity.delivered(frames.count)
        for frame in frames {
            if let frameHandler { frameHandler(frame) } else { events.yield(.frame(frame)) }
        }
    }
}
