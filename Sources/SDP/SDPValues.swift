/// `a=setup` values (RFC 4145 §4): who opens the DTLS association. Offers say `actpass`
/// (RFC 8842 §5.2); answers `active` or `passive`.
public enum SDPSetupRole: String, Sendable, Equatable {
    case active, passive, actpass, holdconn
}

/// Media direction attributes (RFC 8866 §6.7).
public enum SDPDirection: String, Sendable, Equatable {
    case sendrecv, sendonly, recvonly, inactive

    /// The direction an answerer may use for an offer in this direction (RFC 3264 §6.1).
    public var reversed: SDPDirection {
        switch self {
        case .sendonly: return .recvonly
        case .recvonly: return .sendonly
        case .sendrecv, .inactive: return self
        }
    }
}

/// `a=rtpmap` contents (RFC 8866 §6.6).
public struct SDPRTPMap: Sendable, Equatable {
    public var name: String
    public var clockRate: Int
    public var channels: Int

    public init(name: String, clockRate: Int, channels: Int = 1) {
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
    }
}

/// `a=fingerprint:<hash function> <hex:hex:…>` (RFC 8122 §5): the hash of the DTLS
/// certificate the endpoint will present.
public struct SDPFingerprint: Sendable, Equatable {
    /// Lower-case hash name as in the IANA registry: `sha-256`, `sha-384`, `sha-512`, `sha-1`.
    public var algorithm: String
    public var bytes: [UInt8]

    public init(algorithm: String, bytes: [UInt8]) {
        self.algorithm = algorithm.lowercased()
        self.bytes = bytes
    }

    public init?(parsing value: String) {
        let parts = value.split(separator: " ")
        guard parts.count == 2 else { return nil }
        var bytes: [UInt8] = []
        for pair in parts[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
            bytes.append(byte)
        }
        guard !bytes.isEmpty else { return nil }
        self.init(algorithm: String(parts[0]), bytes: bytes)
    }

    /// Upper-case hex pairs joined by colons, as browsers write them.
    public var text: String {
        let hex = bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return "\(algorithm) \(hex.joined(separator: ":"))"
    }
}

extension SessionDescription {
    /// `a=group:BUNDLE <mid> …` (RFC 9143 §7.1): the mids bundled on one transport.
    public var bundleGroup: [String]? {
        attributes.all("group").lazy.map { $0.split(separator: " ").map(String.init) }.first { $0.first == "BUNDLE" }.map { Array($0.dropFirst()) }
    }

    /// A media section's ICE credentials, falling back to the session level (RFC 8839 §5.4).
    public func iceCredentials(of media: MediaDescription) -> (ufrag: String, password: String)? {
        guard let ufrag = media.iceUfrag ?? attributes.first("ice-ufrag"),
            let password = media.icePassword ?? attributes.first("ice-pwd")
        else { return nil }
        return (ufrag, password)
    }

    /// A media section's fingerprint, falling back to the session level (RFC 8122 §5).
    public func fingerprint(of media: MediaDescription) -> SDPFingerprint? {
        media.fingerprint ?? attributes.first("fingerprint").flatMap(SDPFingerprint.init(parsing:))
    }
}
