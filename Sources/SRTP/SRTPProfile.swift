/// The SRTP protection profiles peergate negotiates in the DTLS `use_srtp` extension
/// (RFC 5764 §4.1.2, RFC 7714 §14.2), most preferred first.
public enum SRTPProfile: String, Sendable, CaseIterable, CustomStringConvertible {
    /// AEAD_AES_128_GCM (RFC 7714): 16-byte key, 12-byte salt, 16-byte tag.
    case aeadAES128GCM = "SRTP_AEAD_AES_128_GCM"
    /// AES_CM_128 with HMAC-SHA1-80 (RFC 3711 §5): 16-byte key, 14-byte salt, 10-byte tag.
    case aes128CMHMACSHA1_80 = "SRTP_AES128_CM_SHA1_80"

    /// The DTLS-SRTP protection profile identifier on the wire (RFC 5764 §4.1.2, RFC 7714 §14.2).
    public var identifier: UInt16 {
        switch self {
        case .aeadAES128GCM: 0x0007
        case .aes128CMHMACSHA1_80: 0x0001
        }
    }

    /// The profile with a wire identifier, if peergate supports it.
    public init?(identifier: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = profile
    }

    /// Master key length in bytes.
    public var keyLength: Int { 16 }

    /// Master salt length in bytes (RFC 7714 §12: 96 bits for GCM; RFC 3711 §8.2: 112 bits).
    public var saltLength: Int {
        switch self {
        case .aeadAES128GCM: 12
        case .aes128CMHMACSHA1_80: 14
        }
    }

    /// Bytes the exporter must produce: two keys and two salts (RFC 5764 §4.2).
    public var keyingMaterialLength: Int { 2 * (keyLength + saltLength) }

    /// The OpenSSL `use_srtp` profile list in preference order.
    public static var openSSLProfileList: String { allCases.map(\.rawValue).joined(separator: ":") }

    public var description: String { rawValue }
}
