import ChannelPeers
import Logging
import SDP
import WebRTC

/// Recording as the channel's master (``ChannelMaster``): what each viewer sends goes to a
/// recording of its own (role `master`, the viewer's client id on the row).
public actor ChannelMasterRecording: ChannelMasterHandler {
    let configuration: ChannelRecorder.Configuration
    let preferredVideo: [SDPCodec]
    let index: RecordingIndex
    let logger: Logger
    private var recorders: [String: (recorder: ChannelRecorder, connection: PeerConnection)] = [:]
    public private(set) var summary = ChannelRecorderLoop.Summary()

    public init(configuration: ChannelRecorder.Configuration, preferredVideo: [SDPCodec] = [], index: RecordingIndex, logger: Logger) {
        self.configuration = configuration
        self.preferredVideo = preferredVideo
        self.index = index
        self.logger = logger
    }

    public func localParameters(for viewer: String, defaults: SDPLocalParameters) -> SDPLocalParameters {
        var local = defaults
        local.directions = [.video: .recvonly, .audio: .recvonly]
        local.codecs = preferredVideo + local.codecs.filter { !preferredVideo.contains($0) }
        return local
    }

    public func viewerJoined(_ viewer: String, connection: PeerConnection, media: [SDPNegotiatedMedia]) {
        var perViewer = configuration
        perViewer.role = .master
        perViewer.peerClientID = viewer
        recorders[viewer] = (ChannelRecorder(configuration: perViewer, negotiated: media, index: index, logger: logger), connection)
        summary.sessions += 1
        logger.notice("recording \(configuration.channel): viewer \(viewer) joined")
    }

    public func handle(_ event: PeerConnectionEvent, from viewer: String) async {
        guard case .frame(let received) = event, let entry = recorders[viewer] else { return }
        if entry.recorder.receive(received) { await entry.connection.requestKeyframe() }
    }

    public func viewerLeft(_ viewer: String, connection: PeerConnection) {
        guard let entry = recorders.removeValue(forKey: viewer) else { return }
        entry.recorder.stopNow()
        summary.framesWritten += entry.recorder.framesWritten
        summary.segments += entry.recorder.segmentsClosed
        if let id = entry.recorder.recordingID { summary.recordings.append(id) }
        logger.notice("recording \(configuration.channel): viewer \(viewer) left")
    }
}
