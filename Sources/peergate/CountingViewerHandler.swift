import ChannelPeers
import SDP
import WebRTC

/// A benchmark viewer's session handler: frames are counted by the connection's receive
/// pipeline (``ReceiveActivity``), not queued as events; the load generator hears when the
/// session is negotiated and when it ends, with the frames it received.
actor CountingViewerHandler: ChannelViewerHandler {
    let joined: @Sendable (PeerConnection) async -> Void
    let left: @Sendable (_ framesReceived: Int) async -> Void

    init(joined: @escaping @Sendable (PeerConnection) async -> Void, left: @escaping @Sendable (_ framesReceived: Int) async -> Void = { _ in }) {
        self.joined = joined
        self.left = left
    }

    func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async {
        await connection.setFrameHandler { _ in }
        await joined(connection)
    }

    func handle(_ event: PeerConnectionEvent) async {}

    func ending(connection: PeerConnection, transport: WebRTCTransport) async {
        await left(connection.activity.framesReceived)
    }
}
