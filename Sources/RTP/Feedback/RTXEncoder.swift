/// RTP retransmission payload format (RFC 4588 §4): a resent packet travels on the RTX
/// SSRC with the RTX payload type and its own sequence numbers; its payload starts with the
/// original sequence number (OSN).
public struct RTXEncoder: Sendable {
    public let ssrc: UInt32
    public let payloadType: UInt8
    public private(set) var nextSequence: UInt16

    public init(ssrc: UInt32, payloadType: UInt8, firstSequence: UInt16 = UInt16.random(in: 0...UInt16.max)) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        nextSequence = firstSequence
    }

    public mutating func wrap(_ original: RTPPacket) -> RTPPacket {
        defer { nextSequence &+= 1 }
        var packet = original
        packet.ssrc = ssrc
        packet.payloadType = payloadType
        packet.sequenceNumber = nextSequence
        packet.payload = [UInt8(original.sequenceNumber >> 8), UInt8(original.sequenceNumber & 0xFF)] + original.payload
        return packet
    }

    /// The original packet inside an RTX packet (`apt` payload type and media SSRC from
    /// SDP); nil when it has no OSN.
    public static func unwrap(_ packet: RTPPacket, originalPayloadType: UInt8, originalSSRC: UInt32) -> RTPPacket? {
        guard packet.payload.count >= 2 else { return nil }
        var original = packet
        original.sequenceNumber = UInt16(packet.payload[0]) << 8 | UInt16(packet.payload[1])
        original.payloadType = originalPayloadType
        original.ssrc = originalSSRC
        original.payload = Array(packet.payload.dropFirst(2))
        return original
    }
}
