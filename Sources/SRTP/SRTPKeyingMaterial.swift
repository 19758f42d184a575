/// Master keys of one DTLS-SRTP association, split from the exporter output
/// `client_write_key | server_write_key | client_write_salt | server_write_salt`
/// (RFC 5764 §4.2) into what this side sends with and what it receives with.
public struct SRTPKeyingMaterial: Sendable, Equatable {
    public let profile: SRTPProfile
    /// Master key followed by master salt, used to protect what this side sends.
    public let localMasterKey: [UInt8]
    /// Master key followed by master salt, used to unprotect what the peer sends.
    public let remoteMasterKey: [UInt8]

    /// Why exported bytes cannot be split into keys.
    public struct LengthError: Error, Sendable, Equatable, CustomStringConvertible {
        public let expected: Int
        public let actual: Int
        public init(expected: Int, actual: Int) {
            self.expected = expected
            self.actual = actual
        }

        public var description: String { "SRTP keying material has \(actual) bytes, \(expected) expected" }
    }

    public init(profile: SRTPProfile, localMasterKey: [UInt8], remoteMasterKey: [UInt8]) {
        self.profile = profile
        self.localMasterKey = localMasterKey
        self.remoteMasterKey = remoteMasterKey
    }

    /// Splits exporter output; `isClient` is this side's DTLS role (the client sends with
    /// the client write key, RFC 5764 §4.2).
    public init(exported bytes: [UInt8], profile: SRTPProfile, isClient: Bool) throws(LengthError) {
        guard bytes.count == profile.keyingMaterialLength else {
            throw LengthError(expected: profile.keyingMaterialLength, actual: bytes.count)
        }
        let keyLength = profile.keyLength
        let saltLength = profile.saltLength
        let clientKey = bytes[0..<keyLength]
        let serverKey = bytes[keyLength..<2 * keyLength]
        let clientSalt = bytes[2 * keyLength..<2 * keyLength + saltLength]
        let serverSalt = bytes[2 * keyLength + saltLength..<2 * (keyLength + saltLength)]
        let client = Array(clientKey + clientSalt)
        let server = Array(serverKey + serverSalt)
        self.init(profile: profile, localMasterKey: isClient ? client : server, remoteMasterKey: isClient ? server : client)
    }

    /// The same association seen from the peer: local and remote swapped.
    public var mirrored: SRTPKeyingMaterial {
        SRTPKeyingMaterial(profile: profile, localMasterKey: remoteMasterKey, remoteMasterKey: localMasterKey)
    }
}
