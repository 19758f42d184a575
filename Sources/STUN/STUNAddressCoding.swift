import NetworkAddress

/// (XOR-)MAPPED-ADDRESS values (RFC 8489 §14.1–14.2): family, port and address, the XOR
/// forms masked with the magic cookie (and the transaction id for IPv6).
public enum STUNAddressCoding {
    static let familyIPv4: UInt8 = 0x01
    static let familyIPv6: UInt8 = 0x02

    static func mask(transactionID: [UInt8]) -> [UInt8] {
        [0x21, 0x12, 0xA4, 0x42] + transactionID
    }

    public static func encodeXOR(_ address: TransportAddress, transactionID: [UInt8]) -> [UInt8] {
        let port = address.port ^ 0x2112
        let family = address.ip.isIPv4 ? familyIPv4 : familyIPv6
        let mask = mask(transactionID: transactionID)
        let masked = address.ip.bytes.enumerated().map { $0.element ^ mask[$0.offset] }
        return [0, family, UInt8(port >> 8), UInt8(port & 0xFF)] + masked
    }

    public static func decodeXOR(_ value: some Collection<UInt8>, transactionID: [UInt8]) -> TransportAddress? {
        let bytes = Array(value)
        guard bytes.count == 8 || bytes.count == 20 else { return nil }
        let expected = bytes.count == 8 ? familyIPv4 : familyIPv6
        guard bytes[1] == expected else { return nil }
        let port = (UInt16(bytes[2]) << 8 | UInt16(bytes[3])) ^ 0x2112
        let mask = mask(transactionID: transactionID)
        let address = bytes[4...].enumerated().map { $0.element ^ mask[$0.offset] }
        return IPAddress(bytes: address).map { TransportAddress(ip: $0, port: port) }
    }

    public static func decodePlain(_ value: some Collection<UInt8>) -> TransportAddress? {
        let bytes = Array(value)
        guard (bytes.count == 8 && bytes[1] == familyIPv4) || (bytes.count == 20 && bytes[1] == familyIPv6) else { return nil }
        return IPAddress(bytes: bytes[4...]).map { TransportAddress(ip: $0, port: UInt16(bytes[2]) << 8 | UInt16(bytes[3])) }
    }
}

extension STUNMessage {
    /// An XOR-encoded address attribute of this message.
    public func xorAddress(_ type: UInt16) -> TransportAddress? {
        value(type).flatMap { STUNAddressCoding.decodeXOR($0, transactionID: transactionID) }
    }

    /// Every XOR-encoded address attribute of a type (nil entries for malformed ones).
    public func xorAddresses(_ type: UInt16) -> [TransportAddress?] {
        values(type).map { STUNAddressCoding.decodeXOR($0, transactionID: transactionID) }
    }

    /// ERROR-CODE as (code, reason).
    public var errorCode: (code: Int, reason: String)? {
        guard let bytes = value(STUNAttributeType.errorCode).map(Array.init), bytes.count >= 4 else { return nil }
        return (Int(bytes[2] & 0x07) * 100 + Int(bytes[3]), String(decoding: bytes[4...], as: UTF8.self))
    }

    /// A 32-bit attribute value (LIFETIME, PRIORITY).
    public func uint32(_ type: UInt16) -> UInt32? {
        guard let bytes = value(type), bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
