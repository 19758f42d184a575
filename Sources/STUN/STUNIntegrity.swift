import Crypto

/// MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and
/// FINGERPRINT (§14.7): computing keys, and checking received messages.
public enum STUNIntegrity {
    /// XOR-ed into the CRC-32 of FINGERPRINT.
    static let fingerprintXOR: UInt32 = 0x5354_554E

    /// The long-term credential key (RFC 8489 §9.2.2): MD5 or SHA-256 of
    /// `username:realm:password` (the strings as given; peergate's credentials are ASCII, so
    /// OpaqueString processing changes nothing).
    public static func longTermKey(username: String, realm: String, password: String, sha256: Bool = false) -> [UInt8] {
        let text = Array("\(username):\(realm):\(password)".utf8)
        return sha256 ? Array(SHA256.hash(data: text)) : Array(Insecure.MD5.hash(data: text))
    }

    /// The short-term credential key (RFC 8489 §9.1.1, used by ICE): the password.
    public static func shortTermKey(password: String) -> [UInt8] {
        Array(password.utf8)
    }

    /// HMAC-SHA1 over `bytes` (a message prefix whose length field already counts the
    /// MESSAGE-INTEGRITY attribute).
    static func sha1MAC(_ bytes: some Sequence<UInt8>, key: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: Array(bytes), using: SymmetricKey(data: key)))
    }

    static func sha256MAC(_ bytes: some Sequence<UInt8>, key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(bytes), using: SymmetricKey(data: key)))
    }

    /// `bytes[0..<end]` with the header length field set to `length`.
    static func prefix(_ raw: [UInt8], upTo end: Int, length: Int) -> [UInt8] {
        var bytes = Array(raw[0..<end])
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
        return bytes
    }
}

extension STUNMessage {
    /// Which integrity attribute a message carries, if any.
    public enum IntegrityKind: Sendable, Equatable {
        case sha1
        case sha256
    }

    /// The strongest integrity attribute present.
    public var integrityKind: IntegrityKind? {
        if attribute(STUNAttributeType.messageIntegritySHA256) != nil { return .sha256 }
        if attribute(STUNAttributeType.messageIntegrity) != nil { return .sha1 }
        return nil
    }

    /// Checks MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY, with `key`;
    /// false when neither is present or the value does not match (constant-time compare).
    public func hasValidIntegrity(key: [UInt8]) -> Bool {
        if let attribute = attribute(STUNAttributeType.messageIntegritySHA256) {
            let received = raw[attribute.valueRange]
            guard received.count >= 16, received.count <= 32 else { return false }
            let text = STUNIntegrity.prefix(raw, upTo: attribute.offset, length: attribute.offset + 4 + received.count - Self.headerLength)
            return Self.constantTimeEquals(Array(STUNIntegrity.sha256MAC(text, key: key).prefix(received.count)), Array(received))
        }
        if let attribute = attribute(STUNAttributeType.messageIntegrity) {
            let received = raw[attribute.valueRange]
            guard received.count == 20 else { return false }
            let text = STUNIntegrity.prefix(raw, upTo: attribute.offset, length: attribute.offset + 24 - Self.headerLength)
            return Self.constantTimeEquals(STUNIntegrity.sha1MAC(text, key: key), Array(received))
        }
        return false
    }

    /// Whether FINGERPRINT is present, last, and matches (RFC 8489 §14.7).
    public var hasValidFingerprint: Bool {
        guard let attribute = attribute(STUNAttributeType.fingerprint), attribute.valueRange.count == 4,
            attribute.valueRange.upperBound == raw.count
        else { return false }
        let value = raw[attribute.valueRange].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return CRC32.checksum(raw[0..<attribute.offset]) ^ STUNIntegrity.fingerprintXOR == value
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
