import ChannelPeers
import Logging
import SDP

/// Keeps a channel recorded. As viewer: joins (``ChannelViewer``), records the session
/// (``ChannelRecordingSession``, a recording row each), and when the session ends — the
/// master went away, media stopped, signaling dropped — joins again after a backoff
/// (0.5 s growing to 10 s with jitter, reset after a session that lasted). As master
/// (``ChannelMaster``): each viewer's media goes to a recording of its own.
public struct ChannelRecorderLoop: Sendable {
    public struct Summary: Sendable, Equatable {
        public var sessions = 0
        public var recordings: [Int64] = []
        public var segments = 0
        public var framesWritten = 0

        mutating func merge(_ other: Summary) {
            sessions += other.sessions
            recordings += other.recordings
            segments += other.segments
            framesWritten += other.framesWritten
        }
    }

    public var connector: ChannelConnector
    public var recording: ChannelRecorder.Configuration
    public var mediaTimeout: Duration
    /// Video codecs offered first (the master sends the first it supports).
    public var preferredVideo: [SDPCodec] = []
    let index: RecordingIndex
    let logger: Logger

    public init(connector: ChannelConnector, recording: ChannelRecorder.Configuration, mediaTimeout: Duration = .seconds(15), index: RecordingIndex, logger: Logger) {
        self.connector = connector
        self.recording = recording
        self.mediaTimeout = mediaTimeout
        self.index = index
        self.logger = logger
    }

    /// Records until `deadline` or cancellation.
    public func run(until deadline: ContinuousClock.Instant?) async -> Summary {
        var summary = Summary()
        await SessionRetry.run(until: deadline) {
            do {
                if case .master = connector.role {
                    // As master the signaling client reconnects by itself; viewers come and go,
                    // each PeerConnection with TURN credentials that are still valid.
                    let (signaling, transport) = try await connector.connectRenewing()
                    let handler = ChannelMasterRecording(configuration: recording, preferredVideo: preferredVideo, index: index, logger: logger)
                    try await ChannelMaster(transportSource: transport, mediaTimeout: mediaTimeout).run(signaling: signaling, until: deadline, handler: handler)
                    summary.merge(await handler.summary)
                    return .againAtOnce
                }
                let (signaling, transport) = try await connector.connect()
                let session = ChannelRecordingSession(configuration: recording, index: index, logger: logger)
                let viewer = ChannelViewer(transportConfiguration: transport, preferredVideo: preferredVideo, mediaTimeout: mediaTimeout)
                let reason = try await viewer.run(signaling: signaling, until: deadline, handler: session)
                summary.sessions += 1
                summary.framesWritten += await session.framesWritten
                summary.segments += await session.segmentsClosed
                if let id = await session.recordingID { summary.recordings.append(id) }
                if reason == .deadline { return .stop }
                logger.notice("recording \(recording.channel): session ended, \(reason); joining again")
            } catch {
                logger.error("recording \(recording.channel): cannot join: \(error)")
            }
            return .again
        }
        return summary
    }
}
