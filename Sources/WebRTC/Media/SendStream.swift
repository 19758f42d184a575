import RTP
import SDP

/// The send pipeline of one local source: payloading, sequence numbers, the
/// retransmission buffer (with RTX when negotiated), sender statistics.
struct SendStream {
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

    /// The packets of one frame, remembered for retransmission.
    mutating func packets(for frame: [UInt8], rtpTimestamp: UInt32, unixSeconds: Double) -> [RTPPacket] {
        let payloads = payloader.payloads(for: frame)
        var packets: [RTPPacket] = []
        packets.reserveCapacity(payloads.count)
        for (index, payload) in payloads.enumerated() {
            // Audio sets the marker only on a talkspurt's first packet (RFC 3551 §4.1); video on a frame's last.
            let marker = codec.kind == .video && index == payloads.count - 1
            let packet = RTPPacket(marker: marker, payloadType: payloadType, sequenceNumber: sequence, timestamp: rtpTimestamp, ssrc: ssrc, payload: payload)
            sequence &+= 1
            retransmissions.store(packet)
            statistics.sent(packet, unixSeconds: unixSeconds)
            stats.packetsSent += 1
            stats.bytesSent += packet.payload.count
            packets.append(packet)
        }
        stats.framesSent += 1
        return packets
    }

    /// Answers a NACK (RFC 4585 §6.2.1): the stored packets, over RTX when negotiated.
    mutating func retransmit(_ lost: [UInt16]) -> [RTPPacket] {
        stats.nackCount += 1
        let packets = retransmissions.packets(for: lost)
        stats.retransmittedPackets += packets.count
        guard var rtx else { return packets }
        defer { self.rtx = rtx }
        return packets.map { rtx.wrap($0) }
    }
}
