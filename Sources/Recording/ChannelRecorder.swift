import Foundation
import Logging
import Media

/// Records one session of a channel: frames → ``RecordingTimeline`` → segment files and
/// index rows. Not thread-safe: one owner (the recording session) feeds it.
///
/// The recording row is made when the first segment opens; each segment's row is inserted
/// when its file is created (state `open`) and completed when it closes, so the index
/// never claims more than the disk holds. A write error closes the segment with what
/// reached the disk, is logged and counted, and recording resumes at the next keyframe
/// in a new segment.
public final class ChannelRecorder {
    public struct Configuration: Sendable {
        public var channel: String
        public var role: RecordingRow.Role
        public var peerClientID: String?
        public var segmentSeconds: Int
        public var sync: SegmentSyncPolicy
        public var paths: SegmentPaths

        public init(channel: String, role: RecordingRow.Role, peerClientID: String? = nil, segmentSeconds: Int = 60, sync: SegmentSyncPolicy = .fragment, paths: SegmentPaths) {
            self.channel = channel
            self.role = role
            self.peerClientID = peerClientID
            self.segmentSeconds = segmentSeconds
            self.sync = sync
            self.paths = paths
        }
    }

    /// A negotiated track: its codec and RTP clock rate (audio: channels too).
    public struct Track: Sendable, Equatable {
        public var codec: MediaCodec
        public var clockRate: Int
        public var channels: Int

        public init(codec: MediaCodec, clockRate: Int, channels: Int = 1) {
            self.codec = codec
            self.clockRate = clockRate
            self.channels = channels
        }
    }

    let configuration: Configuration
    /// The tracks a segment is opened with; a frame of another codec replaces its track
    /// and starts a new segment.
    var video: Track?
    var audio: Track?
    let index: RecordingIndex
    let logger: Logger
    let metrics: RecorderMetrics
    var timeline: RecordingTimeline
    public internal(set) var recordingID: Int64?
    var segment: (writer: SegmentWriter, row: SegmentRow)?
    /// The segment before a rotation while it takes its last audio (``RecordingTimeline``).
    var tail: (writer: SegmentWriter, row: SegmentRow)?
    /// Completed rows the index did not take yet, oldest first (``flushDeferredRows()``).
    var deferredRows: [SegmentRow] = []
    /// When to try opening a segment again after a failure (Unix µs).
    var openRetryAt: Int64?
    /// Counts of what this recording did.
    public internal(set) var segmentsClosed = 0
    public internal(set) var framesWritten = 0
    public internal(set) var framesDropped = 0

    public init(configuration: Configuration, video: Track?, audio: Track?, index: RecordingIndex, logger: Logger) {
        self.configuration = configuration
        self.video = video
        self.audio = audio
        self.index = index
        self.logger = logger
        metrics = RecorderMetrics(channel: configuration.channel)
        timeline = RecordingTimeline(hasVideo: video != nil, segmentSeconds: configuration.segmentSeconds)
    }

    /// One received frame of `track` (its codec as negotiated); returns true when a keyframe
    /// should be asked for (PLI).
    public func receive(
        _ track: Track, kind: RecordingTimeline.Kind, ssrc: UInt32, rtpTimestamp: UInt32, isKeyframe: Bool, data: [UInt8], wallClock: Int64, arrival: Int64
    ) -> Bool {
        let current = kind == .video ? video : audio
        if current != track {
            if kind == .video { video = track } else { audio = track }
            // The open segment's file was made for the other codec (or without video).
            if current != nil || kind == .video {
                stopTimeline(reason: .codecChanged)
            }
            if kind == .video && current == nil { timeline = RecordingTimeline(hasVideo: true, segmentSeconds: configuration.segmentSeconds) }
        }
        // After a segment could not be opened (a full disk), wait before trying again.
        if let retryAt = openRetryAt, !timeline.isOpen {
            guard arrival >= retryAt else {
                framesDropped += 1
                metrics.droppedFrames.increment()
                return false
            }
            openRetryAt = nil
        }
        let frame = RecordingTimeline.Frame(
            kind: kind, ssrc: ssrc, rtpTimestamp: rtpTimestamp, clockRate: track.clockRate, isKeyframe: isKeyframe, wallClock: wallClock, arrival: arrival)
        var wantsKeyframe = false
        for step in timeline.process(frame) {
            switch step {
            case .close(let reason):
                closeSegment(reason: reason)
                if reason != .rotation { wantsKeyframe = true }
            case .open(let start):
                if !openSegment(start: start, keyframe: kind == .video ? data : nil) {
                    // Logged and counted; a keyframe a second from now (asked for) tries again.
                    stopTimeline(reason: .stopped)
                    openRetryAt = arrival + 1_000_000
                    return true
                }
            case .write(let time):
                if !write(kind, track: track, data: data, time: time, isKeyframe: isKeyframe || kind == .audio) { return true }
            case .drop:
                framesDropped += 1
                metrics.droppedFrames.increment()
            case .detach:
                closeTail()
                tail = segment
                segment = nil
            case .writeTail(let time):
                writeTail(track: track, data: data, time: time)
            case .closeTail:
                closeTail()
            }
        }
        return wantsKeyframe || timeline.isRotationDue
    }

    /// Stops the timeline and closes what it had open (the segment with `reason`).
    func stopTimeline(reason: RecordingTimeline.CloseReason) {
        for step in timeline.stop() {
            if step == .closeTail { closeTail() } else { closeSegment(reason: reason) }
        }
    }

    /// Closes the open segment and the recording.
    public func stop(at end: Int64) {
        stopTimeline(reason: .stopped)
        flushDeferredRows()
        if !deferredRows.isEmpty {
            logger.error("recording \(configuration.channel): \(deferredRows.count) segment rows still not in the index; start-up reconciliation indexes their files")
        }
        guard let recordingID else { return }
        do {
            try index.endRecording(recordingID, at: end)
        } catch {
            logger.error("recording \(recordingID) of \(configuration.channel) could not be closed in the index: \(error)")
        }
    }
}
