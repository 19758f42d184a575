/// Message types of the KVS WebRTC signaling WebSocket protocol.
public enum SignalingMessageType: String, Sendable, Equatable, CaseIterable {
    case sdpOffer = "SDP_OFFER"
    case sdpAnswer = "SDP_ANSWER"
    case iceCandidate = "ICE_CANDIDATE"
    case goAway = "GO_AWAY"
    case reconnectIceServer = "RECONNECT_ICE_SERVER"
    case statusResponse = "STATUS_RESPONSE"

    /// The actions a client may send.
    public var isClientAction: Bool {
        self == .sdpOffer || self == .sdpAnswer || self == .iceCandidate
    }

    /// SDP messages share one rate limit, candidates another.
    var isSDP: Bool { self == .sdpOffer || self == .sdpAnswer }
}
