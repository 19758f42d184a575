import NetworkAddress

/// Writes a STUN message (RFC 8489 §5, §14): the header, then attributes padded to 4
/// bytes, keeping the length field current so integrity and fingerprint attributes can be
/// computed in order.
public struct STUNMessageBuilder: Sendable {
    public private(set) var bytes: [UInt8]

    public init(type: STUNMessageType, transactionID: [UInt8]) {
        precondition(transactionID.count == 12, "a STUN transaction id has 96 bits")
        bytes = [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), 0, 0, 0x21, 0x12, 0xA4, 0x42] + transactionID
        bytes.reserveCapacity(128)
    }

    /// A response (success or error) to `request`: same method and transaction id.
    public init(responseTo request: STUNMessage, success: Bool) {
        self.init(type: STUNMessageType(method: request.type.method, messageClass: success ? .success : .error), transactionID: request.transactionID)
    }

    /// A new random 96-bit transaction id.
    public static func randomTransactionID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private mutating func setLength(_ length: Int) {
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
    }

    /// Appends an attribute with its padding.
    public mutating func append(_ type: UInt16, _ value: some Collection<UInt8>) {
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
        bytes += value
        let padding = (4 - value.count % 4) % 4
        if padding > 0 { bytes += [UInt8](repeating: 0, count: padding) }
        setLength(bytes.count - STUNMessage.headerLength)
    }

    public mutating func append(_ type: UInt16, text: String) {
        append(type, Array(text.utf8))
    }

    public mutating func append(_ type: UInt16, uint32 value: UInt32) {
        append(type, [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// An XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS or XOR-RELAYED-ADDRESS (RFC 8489 §14.2).
    public mutating func append(_ type: UInt16, xorAddress address: TransportAddress) {
        append(type, STUNAddressCoding.encodeXOR(address, transactionID: Array(bytes[8..<20])))
    }

    /// ERROR-CODE (RFC 8489 §14.8): class and number, then the reason phrase.
    public mutating func appendErrorCode(_ code: Int, reason: String? = nil) {
        append(STUNAttributeType.errorCode, [0, 0, UInt8(code / 100), UInt8(code % 100)] + Array((reason ?? STUNErrorCode.reason(code)).utf8))
    }

    /// MESSAGE-INTEGRITY: HMAC-SHA1 over the message so far, the length counting it.
    public mutating func appendMessageIntegrity(key: [UInt8]) {
        let end = bytes.count
        setLength(end + 24 - STUNMessage.headerLength)
        append(STUNAttributeType.messageIntegrity, STUNIntegrity.sha1MAC(bytes[0..<end], key: key))
    }

    /// MESSAGE-INTEGRITY-SHA256: HMAC-SHA256 over the message so far, the length counting it.
    public mutating func appendMessageIntegritySHA256(key: [UInt8]) {
        let end = bytes.count
        setLength(end + 36 - STUNMessage.headerLength)
        append(STUNAttributeType.messageIntegritySHA256, STUNIntegrity.sha256MAC(bytes[0..<end], key: key))
    }

    /// The integrity attribute of the kind the request used.
    public mutating func appendIntegrity(_ kind: STUNMessage.IntegrityKind, key: [UInt8]) {
        switch kind {
        case .sha1: appendMessageIntegrity(key: key)
        case .sha256: appendMessageIntegritySHA256(key: key)
        }
    }

    /// FINGERPRINT: CRC-32 of the message so far XOR 0x5354554E; it must come last.
    public mutating func appendFingerprint() {
        let end = bytes.count
        setLength(end + 8 - STUNMessage.headerLength)
        append(STUNAttributeType.fingerprint, uint32: CRC32.checksum(bytes[0..<end]) ^ STUNIntegrity.fingerprintXOR)
    }
}
