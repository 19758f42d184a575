import ChannelPeers
import Foundation
import Logging
import SDP
import WebRTC

/// One viewer session of a recorder: the frames of a ``ChannelViewer`` session go to a
/// ``ChannelRecorder`` (one recording row per session) on a ``RecordingWorker``, straight
/// from the connection's event loop; a keyframe is asked for when the recorder needs one.
public actor ChannelRecordingSession: ChannelViewerHandler {
    let configuration: ChannelRecorder.Configuration
    let index: RecordingIndex
    let logger: Logger
    let workers: RecordingWorkers
    private var recording: (worker: RecordingWorker, slot: RecordingWorker.Slot)?
    /// What this session recorded.
    public private(set) var framesWritten = 0
    public private(set) var segmentsClosed = 0
    public private(set) var recordingID: Int64?

    public init(configuration: ChannelRecorder.Configuration, index: RecordingIndex, logger: Logger, workers: RecordingWorkers = .shared) {
        self.configuration = configuration
        self.index = index
        self.logger = logger
        self.workers = workers
    }

    public func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async {
        recording = await workers.record(ChannelRecorder(configuration: configuration, negotiated: media, index: index, logger: logger), from: connection)
    }

    /// Frames go to the worker (``negotiated(_:connection:)``); other events need nothing here.
    public func handle(_ event: PeerConnectionEvent) async {}

    public func ending(connection: PeerConnection, transport: WebRTCTransport) async {
        guard let (worker, slot) = recording else { return }
        recording = nil
        let received = await connection.inboundStats()
        logger.info("recording \(configuration.channel): session received \(ReceivedMediaSummary.line(received))")
        let outcome = await worker.finish(slot)
        framesWritten = outcome.framesWritten
        segmentsClosed = outcome.segmentsClosed
        recordingID = outcome.recordingID
    }
}
