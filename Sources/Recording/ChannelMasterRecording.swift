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
    let workers: RecordingWorkers
    private var recordings: [String: (worker: RecordingWorker, slot: RecordingWorker.Slot)] = [:]
    public private(set) var summary = ChannelRecorderLoop.Summary()

    public init(configuration: ChannelRecorder.Configuration, preferredVideo: [SDPCodec] = [], index: RecordingIndex, logger: Logger, workers: RecordingWorkers = .shared) {
        self.workers = workers
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

    public func viewerJoined(_ viewer: String, connection: PeerConnection, media: [SDPNegotiatedMedia]) async {
        var perViewer = configuration
        perViewer.role = .master
        perViewer.peerClientID = viewer
        summary.sessions += 1
        recordings[viewer] = await workers.record(ChannelRecorder(configuration: perViewer, negotiated: media, index: index, logger: logger), from: connection)
        logger.notice("recording \(configuration.channel): viewer \(viewer) joined")
    }

    /// Frames go to the worker (``viewerJoined(_:connection:media:)``); other events need nothing here.
    public func handle(_ event: PeerConnectionEvent, from viewer: String) async {}

    public func viewerLeft(_ viewer: String, connection: PeerConnection) async {
        guard let (worker, slot) = recordings.removeValue(forKey: viewer) else { return }
        let outcome = await worker.finish(slot)
        summary.framesWritten += outcome.framesWritten
        summary.segments += outcome.segmentsClosed
        if let id = outcome.recordingID { summary.recordings.append(id) }
        logger.notice("recording \(configuration.channel): viewer \(viewer) left")
    }
}
