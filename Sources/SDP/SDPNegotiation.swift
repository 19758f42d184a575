/// What the local side brings to an offer/answer exchange.
public struct SDPLocalParameters: Sendable {
    public var iceUfrag: String
    public var icePassword: String
    /// The fingerprint of the local DTLS certificate (RFC 8122).
    public var fingerprint: SDPFingerprint
    /// The answerer's DTLS role: `active` or `passive` (RFC 8842 §5.3); JSEP answers
    /// `active` (RFC 8829 §5.3.1).
    public var setup: SDPSetupRole = .active
    /// Codecs in preference order.
    public var codecs: [SDPCodec] = SDPCodec.all
    /// What the local side wants to do per kind (a recorder receives, a republisher sends).
    public var directions: [SDPCodec.Kind: SDPDirection] = [.audio: .sendrecv, .video: .sendrecv]
    /// SSRCs the local side sends per kind (video with its RTX SSRC), announced with `cname`
    /// and `msid` (RFC 5576, RFC 8830).
    public var sendSSRCs: [SDPCodec.Kind: (ssrc: UInt32, rtx: UInt32?)] = [:]
    /// Format parameters that describe what this side sends, by encoding name (`H264`,
    /// `H265`): the parameter sets of the stream (RFC 6184 §8.1 `sprop-parameter-sets`, RFC
    /// 7798 §7.1 `sprop-vps/sps/pps`), added to that codec's `a=fmtp` when sending.
    public var sendFormatParameters: [String: [String: String]] = [:]
    public var cname = "peergate"
    public var streamID = "peergate"
    public var sessionID: String
    public var sessionVersion: UInt64 = 1

    public init(iceUfrag: String, icePassword: String, fingerprint: SDPFingerprint, sessionID: String) {
        self.iceUfrag = iceUfrag
        self.icePassword = icePassword
        self.fingerprint = fingerprint
        self.sessionID = sessionID
    }
}

/// The outcome of negotiating one media section.
public struct SDPNegotiatedMedia: Sendable, Equatable {
    public var mid: String
    public var kind: SDPCodec.Kind
    /// The direction of the answer (from the answerer's point of view).
    public var direction: SDPDirection
    /// Accepted payload types (the offerer's numbers, RFC 3264 §6.1) and their codecs, in
    /// the offer's order of preference.
    public var codecs: [(payloadType: UInt8, codec: SDPCodec)]
    /// RTX payload type → the payload type it repairs (RFC 4588 §8.6, `apt`).
    public var retransmission: [UInt8: UInt8]
    /// Header extensions kept, URI → id.
    public var extensions: [String: Int]
    /// The offerer's SSRCs in this section and their RTX SSRCs.
    public var remoteSSRCs: [UInt32]

    public static func == (a: Self, b: Self) -> Bool {
        a.mid == b.mid && a.kind == b.kind && a.direction == b.direction && a.retransmission == b.retransmission
            && a.extensions == b.extensions && a.remoteSSRCs == b.remoteSSRCs
            && a.codecs.map(\.payloadType) == b.codecs.map(\.payloadType) && a.codecs.map(\.codec) == b.codecs.map(\.codec)
    }
}

/// Why an offer cannot be answered at all.
public enum SDPNegotiationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Several sections were accepted but not all of them are in one BUNDLE group (peergate
    /// runs one transport per connection: max-bundle, RFC 8829 §4.1.1).
    case bundleRequired
    /// The offer has no ICE ufrag/password or no fingerprint for an accepted section.
    case missingTransportAttributes(mid: String)
    /// No section of the offer could be accepted.
    case nothingAccepted

    public var description: String {
        switch self {
        case .bundleRequired: return "the offer must bundle all its media sections (a=group:BUNDLE)"
        case .missingTransportAttributes(let mid): return "media section \(mid) has no ICE credentials or no DTLS fingerprint"
        case .nothingAccepted: return "no media section of the offer carries a codec peergate supports"
        }
    }
}

/// Header extensions peergate understands (RFC 8285): the rest are left out of answers.
public enum SDPHeaderExtension {
    public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    public static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    public static let transportCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    public static let known: Set<String> = [mid, absSendTime, transportCC]
}

/// RTCP feedback peergate answers to (RFC 4585, RFC 5104) and REMB / transport-cc.
enum SDPFeedback {
    static let known: Set<String> = ["nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"]
}
