import ChannelPeers
import Foundation
import Logging
import SDP
import WebRTC

/// One viewer session of a recorder: the frames of a ``ChannelViewer`` session go to a
/// ``ChannelRecorder`` (one recording row per session); a keyframe is asked for when the
/// recorder needs one.
public actor ChannelRecordingSession: ChannelViewerHandler {
    let configuration: ChannelRecorder.Configuration
    let index: RecordingIndex
    let logger: Logger
    private var recorder: ChannelRecorder?
    private var connection: PeerConnection?
    /// What this session recorded.
    public private(set) var framesWritten = 0
    public private(set) var segmentsClosed = 0
    public private(set) var recordingID: Int64?

    public init(configuration: ChannelRecorder.Configuration, index: RecordingIndex, logger: Logger) {
        self.configuration = configuration
        self.index = index
        self.logger = logger
    }

    public func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async {
        self.connection = connection
        recorder = ChannelRecorder(configuration: configuration, negotiated: media, index: index, logger: logger)
    }

    public func handle(_ event: PeerConnectionEvent) async {
        guard case .frame(let received) = event, let recorder else { return }
        let wantsKeyframe = recorder.receive(received)
        recordingID = recorder.recordingID
        if wantsKeyframe { await connection?.requestKeyframe() }
    }

    public func ending(connection: PeerConnection, transport: WebRTCTransport) async {
        guard let recorder else { return }
        recorder.stopNow()
        framesWritten = recorder.framesWritten
        segmentsClosed = recorder.segmentsClosed
        recordingID = recorder.recordingID
        self.recorder = nil
    }
}
