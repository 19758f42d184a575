import RTP
import SDP

/// The send pipeline of one local source: payloading, sequence numbers, the
/// retransmission buffer (with RTX when negotiated), sender statistics. A class: a fan-out
/// sends every frame to every viewer through it, and a struct this size in a dictionary
/// was mutated through the dictionary's accessors each time. Only its connection touches it.
final class SendStream {
    let mid: String
    let codec: SDPCodec
    let payloadType: UInt8
    let ssrc: UInt32
    var payloader: any RTPPayloader
    var rtx: RTXEncoder?
    var sequence = UInt16.random(in: 0...UInt16.max)
    var retransmissions = RetransmissionBuffer()
    var statistics: SenderStatistics
    var stats: OutboundStreamStats
    /// Whether the stream's first packet went out (video streams begin with start probes).
    var started = false

    /// Padding-only packets a video stream begins with, right before its first frame.
    /// RFC 3550 §5.1 allows packets of padding alone; here they make the first media
    /// packet's loss visible: a receiver that starts from whichever packet arrives first
    /// cannot know that an earlier one is missing, and a keyframe without its first packet
    /// (its parameter sets) costs the whole group of pictures. After a probe the loss is a
    /// gap, which the receiver NACKs (RFC 4585 §6.2.1) and the retransmission buffer fills.
    static let startProbes = 2

    init(mid: String, codec: SDPCodec, payloadType: UInt8, ssrc: UInt32, rtx: (ssrc: UInt32, payloadType: UInt8)?) {
        self.mid = mid
        self.codec = codec
        self.payloadType = payloadType
        self.ssrc = ssrc
        payloader = CodecPackets.payloader(for: codec)
        self.rtx = rtx.map { RTXEncoder(ssrc: $0.ssrc, payloadType: $0.payloadType) }
        statistics = SenderStatistics(ssrc: ssrc, clockRate: codec.clockRate)
        stats = OutboundStreamStats(ssrc: ssrc, mid: mid)
    }

    /// The RTP packets of one frame as bytes (with room for the SRTP tag), remembered for
    /// retransmission: each packet is written straight from the frame, which the
    /// retransmission buffer holds once for all of them.
    func packets(for frame: [UInt8], rtpTimestamp: UInt32, unixSeconds: Double, now: ContinuousClock.Instant = .now) -> [[UInt8]] {
        packets(for: frame, parts: payloader.parts(for: frame), rtpTimestamp: rtpTimestamp, unixSeconds: unixSeconds, now: now)
    }

    /// The RTP packets of a frame already split into payloads (``PacketizedFrame``).
    func packets(for frame: [UInt8], parts: [RTPPayloadPart], rtpTimestamp: UInt32, unixSeconds: Double, now: ContinuousClock.Instant = .now) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        packets.reserveCapacity(parts.count + Self.startProbes)
        if !started {
            started = true
            if codec.kind == .video { appendStartProbes(to: &packets, rtpTimestamp: rtpTimestamp, unixSeconds: unixSeconds, now: now) }
        }
        for (index, part) in parts.enumerated() {
            // Audio sets the marker only on a talkspurt's first packet (RFC 3551 §4.1); video on a frame's last.
            let marker = codec.kind == .video && index == parts.count - 1
            let packet = RTPSentPacket(marker: marker, payloadType: payloadType, sequenceNumber: sequence, timestamp: rtpTimestamp, ssrc: ssrc, frame: frame, part: part)
            sequence &+= 1
            retransmissions.store(packet, now: now)
            statistics.sent(timestamp: rtpTimestamp, payloadBytes: part.count, unixSeconds: unixSeconds)
            stats.packetsSent += 1
            stats.bytesSent += part.count
            packets.append(packet.bytes)
        }
        stats.framesSent += 1
        return packets
    }

    /// The start probes, kept for retransmission like media (a NACK for one gets it with
    /// an empty payload), counted in the sender report's packet count but not as media.
    private func appendStartProbes(to packets: inout [[UInt8]], rtpTimestamp: UInt32, unixSeconds: Double, now: ContinuousClock.Instant) {
        for _ in 0..<Self.startProbes {
            let probe = RTPSentPacket.paddingOnly(payloadType: payloadType, sequenceNumber: sequence, timestamp: rtpTimestamp, ssrc: ssrc, paddingLength: 4)
            sequence &+= 1
            retransmissions.store(probe, now: now)
            statistics.sent(timestamp: rtpTimestamp, payloadBytes: 0, unixSeconds: unixSeconds)
            packets.append(probe.bytes)
        }
    }

    /// Answers a NACK (RFC 4585 §6.2.1): the stored packets, over RTX when negotiated.
    func retransmit(_ lost: [UInt16]) -> [RTPPacket] {
        stats.nackCount += 1
        let packets = retransmissions.packets(for: lost)
        stats.retransmittedPackets += packets.count
        stats.retransmissionMisses = retransmissions.misses
        guard var rtx else { return packets }
        defer { self.rtx = rtx }
        return packets.map { rtx.wrap($0) }
    }
}
