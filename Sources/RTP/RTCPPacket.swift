/// One RTCP packet of a compound packet (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3).
public enum RTCPPacket: Sendable, Equatable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription([RTCPSourceDescription])
    case bye(RTCPBye)
    case nack(RTCPNack)
    /// Picture Loss Indication (RFC 4585 §6.3.1).
    case pictureLossIndication(senderSSRC: UInt32, mediaSSRC: UInt32)
    case fullIntraRequest(RTCPFullIntraRequest)
    case receiverEstimatedBitrate(RTCPReceiverEstimatedBitrate)
    /// Any other packet, kept as type, count/format field and body.
    case other(type: UInt8, count: UInt8, body: [UInt8])

    enum PacketType {
        static let senderReport: UInt8 = 200
        static let receiverReport: UInt8 = 201
        static let sourceDescription: UInt8 = 202
        static let bye: UInt8 = 203
        static let transportFeedback: UInt8 = 205
        static let payloadFeedback: UInt8 = 206
    }

    /// Largest compound packet accepted.
    public static let maxCompoundLength = 8192

    /// Parses a compound packet into its packets (RFC 3550 §6.1): each with version 2 and a
    /// length that fits. Packets of unknown types are kept as `.other`.
    public static func parseCompound(_ bytes: [UInt8]) throws(RTPParseError) -> [RTCPPacket] {
        guard bytes.count <= maxCompoundLength else { throw .tooLarge(bytes.count) }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw .tooShort }
            guard bytes[offset] >> 6 == 2 else { throw .badVersion }
            let length = 4 * (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]) + 1)
            guard offset + length <= bytes.count else { throw .badLength }
            var end = offset + length
            if bytes[offset] & 0x20 != 0 {
                let padding = Int(bytes[end - 1])
                // The padding count includes itself and is a multiple of four (RFC 3550 §6.4.1).
                guard padding > 0, padding % 4 == 0, padding <= length - 4 else { throw .badPadding }
                end -= padding
            }
            let count = bytes[offset] & 0x1F
            let body = Array(bytes[(offset + 4)..<end])
            packets.append(try RTCPPacketCoding.decode(type: bytes[offset + 1], count: count, body: body))
            offset += length
        }
        return packets
    }

    /// Serializes packets into one compound packet.
    public static func compound(_ packets: [RTCPPacket]) -> [UInt8] {
        packets.flatMap { $0.bytes }
    }

    /// This packet with its header; the body padded to 32 bits.
    public var bytes: [UInt8] {
        let (type, count, body) = RTCPPacketCoding.encode(self)
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let words = padded.count / 4
        return [0x80 | (count & 0x1F), type, UInt8(words >> 8), UInt8(words & 0xFF)] + padded
    }
}
