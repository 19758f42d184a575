import DTLS
import ICE
import SDP

/// Why a remote description cannot set up the transport.
public enum WebRTCDescriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    case noMedia
    case missingICECredentials
    case missingFingerprint

    public var description: String {
        switch self {
        case .noMedia: "the description has no media section"
        case .missingICECredentials: "the description has no a=ice-ufrag / a=ice-pwd"
        case .missingFingerprint: "the description has no usable a=fingerprint"
        }
    }
}

/// What the transport needs from the peer's SDP (max-bundle, so the first media section
/// speaks for all): ICE credentials (RFC 8839 §5.4), certificate fingerprint (RFC 8122),
/// DTLS setup role (RFC 8842) and candidates (RFC 8839 §5.1).
public struct RemoteTransportDescription: Sendable, Equatable {
    public var credentials: ICECredentials
    public var fingerprint: DTLSFingerprint
    public var setup: SDPSetupRole
    public var candidates: [ICECandidate]
    /// `a=end-of-candidates` was present (RFC 8840 §4.1.3).
    public var endOfCandidates: Bool
    /// Candidate lines not used (TCP, mDNS names, malformed).
    public var skippedCandidates: Int

    public init(_ description: SessionDescription) throws(WebRTCDescriptionError) {
        guard let media = description.media.first else { throw .noMedia }
        guard let ice = description.iceCredentials(of: media) else { throw .missingICECredentials }
        guard let fingerprint = description.fingerprint(of: media) else { throw .missingFingerprint }
        credentials = ICECredentials(ufrag: ice.ufrag, password: ice.password)
        self.fingerprint = DTLSFingerprint(algorithm: fingerprint.algorithm, bytes: fingerprint.bytes)
        setup = media.attributes.first("setup").flatMap(SDPSetupRole.init(rawValue:)) ?? .actpass
        var parsed: [ICECandidate] = []
        var skipped = 0
        for line in media.candidates {
            if let candidate = try? ICECandidate(sdpValue: line) { parsed.append(candidate) } else { skipped += 1 }
        }
        candidates = parsed
        skippedCandidates = skipped
        endOfCandidates = media.endOfCandidates
    }

    /// This side's DTLS role given the peer's `a=setup` (RFC 8842 §5.3): the peer active →
    /// this side serves; passive → this side is the client; actpass (an offer) → this side
    /// answers `active` (JSEP, RFC 8829 §5.3.1) and is the client.
    public var localDTLSRole: DTLSEndpoint.Role {
        setup == .active ? .server : .client
    }
}

extension SessionDescription {
    /// Adds candidates (and `a=end-of-candidates` when gathering finished) to every media
    /// section, for peers that do not trickle (RFC 8839 §5.1, RFC 8840 §4.1.3).
    public mutating func addCandidates(_ candidates: [ICECandidate], complete: Bool) {
        for index in media.indices {
            media[index].attributes += candidates.map { SDPAttribute("candidate", String($0.sdpValue.dropFirst("candidate:".count))) }
            if complete { media[index].attributes.append(SDPAttribute("end-of-candidates")) }
        }
    }
}

extension SDPFingerprint {
    /// The SDP form of a DTLS certificate fingerprint.
    public init(_ fingerprint: DTLSFingerprint) {
        self.init(algorithm: fingerprint.algorithm, bytes: fingerprint.bytes)
    }
}
