/// A parsed STUN message (RFC 8489 §5–6): type, transaction id and attributes, with the
/// raw bytes kept for integrity and fingerprint checks.
public struct STUNMessage: Sendable {
    /// The fixed value in bytes 4–7 of every STUN message.
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerLength = 20

    public let type: STUNMessageType
    /// The 96-bit transaction id.
    public let transactionID: [UInt8]
    /// Attributes in message order, up to and including the last one that counts
    /// (anything after MESSAGE-INTEGRITY but MESSAGE-INTEGRITY-SHA256 and FINGERPRINT is
    /// ignored, RFC 8489 §14.5).
    public let attributes: [STUNAttribute]
    /// The message as received.
    public let raw: [UInt8]

    init(type: STUNMessageType, transactionID: [UInt8], attributes: [STUNAttribute], raw: [UInt8]) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
        self.raw = raw
    }

    /// The first attribute of a type.
    public func attribute(_ type: UInt16) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// The value bytes of the first attribute of a type.
    public func value(_ type: UInt16) -> ArraySlice<UInt8>? {
        attribute(type).map { raw[$0.valueRange] }
    }

    /// Every attribute of a type (XOR-PEER-ADDRESS may repeat in CreatePermission).
    public func values(_ type: UInt16) -> [ArraySlice<UInt8>] {
        attributes.filter { $0.type == type }.map { raw[$0.valueRange] }
    }

    /// A UTF-8 text attribute (USERNAME, REALM, NONCE, SOFTWARE).
    public func text(_ type: UInt16) -> String? {
        value(type).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Comprehension-required attribute types not in `known`, for a 420 answer.
    public func unknownRequiredAttributes(known: Set<UInt16>) -> [UInt16] {
        var seen = Set<UInt16>()
        return attributes.map(\.type).filter { STUNAttributeType.isComprehensionRequired($0) && !known.contains($0) && seen.insert($0).inserted }
    }
}

/// One attribute: its type and where its value lies in ``STUNMessage/raw``.
public struct STUNAttribute: Sendable, Equatable {
    public let type: UInt16
    public let valueRange: Range<Int>
    /// Offset of the attribute header in the message.
    public let offset: Int
}
