/// An RTP packet the send path made from a frame without copying the frame: its header
/// fields and a ``RTPPayloadPart`` of the frame (RFC 3550 §5.1). No CSRCs or header
/// extensions (peergate's senders add none; per-transmission extensions such as
/// transport-wide sequence numbers would be written again on retransmission anyway).
public struct RTPSentPacket: Sendable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// The frame the payload is a part of (shared, not copied).
    public let frame: [UInt8]
    public let part: RTPPayloadPart
    /// Padding octets after the payload (RFC 3550 §5.1: the P bit set, the last octet the
    /// count). Not kept by ``packet``: a retransmission carries the payload alone.
    public var paddingLength: UInt8 = 0

    public init(marker: Bool, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, frame: [UInt8], part: RTPPayloadPart) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.frame = frame
        self.part = part
    }

    /// The header fields and payload of `packet` (its CSRCs and extensions are not kept).
    public init(_ packet: RTPPacket) {
        self.init(
            marker: packet.marker, payloadType: packet.payloadType, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp,
            ssrc: packet.ssrc, frame: packet.payload, part: RTPPayloadPart(range: packet.payload.indices))
    }

    /// A packet with no payload, only `paddingLength` octets of padding (RFC 3550 §5.1), as
    /// senders use to move the sequence number without media.
    public static func paddingOnly(payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, paddingLength: UInt8) -> RTPSentPacket {
        var packet = RTPSentPacket(
            marker: false, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, frame: [],
            part: RTPPayloadPart(range: 0..<0))
        packet.paddingLength = max(paddingLength, 1)
        return packet
    }

    /// The packet as a value (payload copied out of the frame).
    public var packet: RTPPacket {
        RTPPacket(marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, payload: part.bytes(of: frame))
    }

    /// The packet on the wire, written in one allocation with room for the SRTP tag
    /// (``RTPPacket/protectionRoom``), as ``RTPPacket/bytes`` writes it.
    public var bytes: [UInt8] {
        let length = 12 + part.count + Int(paddingLength)
        return [UInt8](unsafeUninitializedCapacity: length + RTPPacket.protectionRoom) { buffer, count in
            buffer[0] = paddingLength > 0 ? 0xA0 : 0x80
            buffer[1] = (marker ? 0x80 : 0) | (payloadType & 0x7F)
            buffer[2] = UInt8(sequenceNumber >> 8)
            buffer[3] = UInt8(sequenceNumber & 0xFF)
            RTPPacket.write(timestamp, to: buffer, at: 4)
            RTPPacket.write(ssrc, to: buffer, at: 8)
            count = part.write(of: frame, to: buffer, at: 12)
            guard paddingLength > 0 else { return }
            for index in count..<(count + Int(paddingLength) - 1) { buffer[index] = 0 }
            buffer[count + Int(paddingLength) - 1] = paddingLength
            count += Int(paddingLength)
        }
    }
}
