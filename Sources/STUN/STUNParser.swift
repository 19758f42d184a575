/// Why bytes are not a STUN message.
public enum STUNParseError: Error, Sendable, Equatable {
    case tooShort
    case notSTUN
    case badLength
    case truncatedAttribute
    case tooManyAttributes
}

extension STUNMessage {
    /// The most attributes accepted in one message (attribute floods are refused).
    public static let maxAttributes = 64

    /// Whether the first bytes look like STUN: two zero bits and the magic cookie
    /// (RFC 8489 §6.3; RFC 7983 demultiplexing puts STUN at first byte 0–3).
    public static func looksLikeSTUN(_ bytes: some Collection<UInt8>) -> Bool {
        // The first byte rejects RTP, RTCP and DTLS at once (RFC 7983 §7).
        guard let first = bytes.first, first & 0xC0 == 0, bytes.count >= headerLength else { return false }
        var header = bytes.makeIterator()
        var word: UInt64 = 0
        for _ in 0..<8 { word = word << 8 | UInt64(header.next() ?? 0) }
        return UInt32(truncatingIfNeeded: word) == magicCookie
    }

    /// ``looksLikeSTUN(_:)`` for a contiguous buffer (the datagram path).
    public static func looksLikeSTUN(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= headerLength, bytes[0] & 0xC0 == 0 else { return false }
        return UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7]) == magicCookie
    }

    /// Parses one complete message (RFC 8489 §5, §14): header, magic cookie, a length that
    /// is a multiple of 4 and matches the bytes, attributes that fit with their padding.
    public init(parsing bytes: [UInt8]) throws(STUNParseError) {
        guard bytes.count >= Self.headerLength else { throw .tooShort }
        guard Self.looksLikeSTUN(bytes), let type = STUNMessageType(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1])) else {
            throw .notSTUN
        }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length % 4 == 0, length + Self.headerLength == bytes.count else { throw .badLength }
        var attributes: [STUNAttribute] = []
        var offset = Self.headerLength
        var sawIntegrity = false
        var sawIntegritySHA256 = false
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw .truncatedAttribute }
            let attributeType = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let valueLength = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let valueStart = offset + 4
            let padded = (valueLength + 3) & ~3
            guard valueStart + padded <= bytes.count else { throw .truncatedAttribute }
            guard attributes.count < Self.maxAttributes else { throw .tooManyAttributes }
            // RFC 8489 §14.5–14.7: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
            // FINGERPRINT count; after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT; nothing after FINGERPRINT.
            let counts: Bool
            switch attributeType {
            case STUNAttributeType.fingerprint: counts = true
            case STUNAttributeType.messageIntegritySHA256: counts = !sawIntegritySHA256
            default: counts = !sawIntegrity && !sawIntegritySHA256
            }
            if counts {
                attributes.append(STUNAttribute(type: attributeType, valueRange: valueStart..<valueStart + valueLength, offset: offset))
            }
            if attributeType == STUNAttributeType.messageIntegrity { sawIntegrity = true }
            if attributeType == STUNAttributeType.messageIntegritySHA256 { sawIntegritySHA256 = true }
            offset = valueStart + padded
            if attributeType == STUNAttributeType.fingerprint { break }
        }
        self.init(type: type, transactionID: Array(bytes[8..<20]), attributes: attributes, raw: bytes)
    }
}
