/// What a ``PeerConnection`` reports: its transport's events (not the raw RTP/RTCP),
/// received frames, and keyframe requests from the peer.
public enum PeerConnectionEvent: Sendable, Equatable {
    case transport(WebRTCTransportEvent)
    case frame(ReceivedFrame)
    /// The peer asked for a keyframe (PLI or FIR) on this media section.
    case keyframeRequested(mid: String)
}
