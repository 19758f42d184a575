/// The class of a STUN message (RFC 8489 §5): request, success or error response, indication.
public enum STUNClass: UInt16, Sendable, Equatable {
    case request = 0b00
    case indication = 0b01
    case success = 0b10
    case error = 0b11
}

/// STUN methods used by peergate: Binding (RFC 8489 §18.2) and the TURN methods
/// (RFC 8656 §17).
public enum STUNMethod {
    public static let binding: UInt16 = 0x001
    public static let allocate: UInt16 = 0x003
    public static let refresh: UInt16 = 0x004
    public static let send: UInt16 = 0x006
    public static let data: UInt16 = 0x007
    public static let createPermission: UInt16 = 0x008
    public static let channelBind: UInt16 = 0x009
}

/// The 14-bit message type: a 12-bit method with the 2 class bits interleaved
/// (RFC 8489 §5, figure 3: M11…M7 C1 M6…M4 C0 M3…M0).
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    public let method: UInt16
    public let messageClass: STUNClass

    public init(method: UInt16, messageClass: STUNClass) {
        self.method = method & 0x0FFF
        self.messageClass = messageClass
    }

    /// Decodes the type field; nil when the two most significant bits are not zero.
    public init?(rawValue: UInt16) {
        guard rawValue & 0xC000 == 0 else { return nil }
        method = (rawValue & 0x3E00) >> 2 | (rawValue & 0x00E0) >> 1 | (rawValue & 0x000F)
        messageClass = STUNClass(rawValue: (rawValue & 0x0100) >> 7 | (rawValue & 0x0010) >> 4)!
    }

    public var rawValue: UInt16 {
        let classBits = messageClass.rawValue
        return (method & 0x0F80) << 2 | (method & 0x0070) << 1 | (method & 0x000F) | (classBits & 0x2) << 7 | (classBits & 0x1) << 4
    }

    public var description: String { "method 0x\(String(method, radix: 16)) \(messageClass)" }
}
