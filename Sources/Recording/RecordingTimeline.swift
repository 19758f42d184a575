/// Turns received frames into segment timing (sans-I/O: fed frames, returns steps).
///
/// Times in a segment come from RTP timestamps (smooth, per track), placed on the wall
/// clock once per track: the segment starts at its first video keyframe's wall-clock time
/// (RTCP sender reports, arrival until the first), and each track's first frame sets that
/// track's offset, so audio and video stay in sync as their sender reports say. What would
/// corrupt timing starts a new segment instead: an SSRC change (a new encoder), an RTP
/// timestamp jump, or RTP time running away from the arrival clock. Nothing undecodable is
/// written: after a cut, video waits for the next keyframe (the caller asks for it by PLI).
///
/// At a rotation the closing segment stays open for audio a little longer: audio frames
/// are sent after the time they start (an encoder fills a 20 ms frame first), so audio
/// that begins before the new segment's keyframe often arrives after it. Such frames go
/// into the closing segment (``Step/writeTail(time:)``) until audio reaches the new
/// segment's start, and no audio is lost at segment boundaries.
public struct RecordingTimeline: Sendable {
    public enum Kind: Sendable, Hashable { case video, audio }

    /// One depacketized frame as the timeline needs it.
    public struct Frame: Sendable {
        public var kind: Kind
        public var ssrc: UInt32
        public var rtpTimestamp: UInt32
        public var clockRate: Int
        public var isKeyframe: Bool
        /// Unix microseconds from the sender's clock mapping, and of arrival here.
        public var wallClock: Int64
        public var arrival: Int64

        public init(kind: Kind, ssrc: UInt32, rtpTimestamp: UInt32, clockRate: Int, isKeyframe: Bool, wallClock: Int64, arrival: Int64) {
            self.kind = kind
            self.ssrc = ssrc
            self.rtpTimestamp = rtpTimestamp
            self.clockRate = clockRate
            self.isKeyframe = isKeyframe
            self.wallClock = wallClock
            self.arrival = arrival
        }
    }

    public enum CloseReason: String, Sendable {
        case rotation, ssrcChanged, codecChanged, timestampJump, clockDiscontinuity, maxDuration, stopped
    }

    public enum DropReason: String, Sendable {
        case waitingForKeyframe, beforeSegmentStart, notIncreasing
    }

    public enum Step: Sendable, Equatable {
        /// A segment starts at this wall-clock time (Unix µs).
        case open(start: Int64)
        case close(CloseReason)
        /// The frame goes in at this time from the segment's start (µs).
        case write(time: Int64)
        case drop(DropReason)
        /// The open segment stops taking video but stays open for audio timed before the
        /// next segment's start (it becomes the *tail*); a `.open` follows.
        case detach
        /// The frame goes into the tail at this time from the tail's start (µs).
        case writeTail(time: Int64)
        /// The tail is complete: close it (a rotation).
        case closeTail
    }

    /// RTP timestamps may step back this much (µs) between frames before it is a jump.
    public static let maxBackwardMicros: Int64 = 500_000
    /// …and forward this much (a gap in the stream longer than this starts a new segment).
    public static let maxForwardMicros: Int64 = 10_000_000
    /// RTP time may drift this far from the arrival clock.
    public static let maxDriftMicros: Int64 = 10_000_000

    struct Track {
        var ssrc: UInt32
        var clockRate: Int
        var lastRTP: UInt32
        /// Ticks since the track's first frame in the segment.
        var ticks: Int64 = 0
        var offset: Int64
        var lastTime: Int64
    }

    struct Segment {
        var start: Int64
        /// The latest time written in it.
        var latest: Int64 = 0
        /// Arrival minus wall clock at the start (network delay and clock offset).
        var arrivalOffset: Int64
        var tracks: [Kind: Track] = [:]
    }

    /// A segment closed by rotation that still takes audio up to `boundary` (wall clock).
    struct Tail {
        var segment: Segment
        var boundary: Int64
    }

    /// How long (µs of the new segment) a tail waits for its last audio.
    public static let tailMicros: Int64 = 1_000_000

    public let hasVideo: Bool
    public let segmentMicros: Int64
    public let maxSegmentMicros: Int64
    var segment: Segment?
    var tail: Tail?

    public init(hasVideo: Bool, segmentSeconds: Int, maxSegmentMicros: Int64 = RecordingIndex.maxSegmentMicros) {
        self.hasVideo = hasVideo
        segmentMicros = Int64(max(segmentSeconds, 1)) * 1_000_000
        self.maxSegmentMicros = maxSegmentMicros
    }

    /// Whether a segment is open.
    public var isOpen: Bool { segment != nil }

    /// An open segment has reached its duration and waits for a keyframe to rotate (with
    /// WebRTC senders that make keyframes only on request, ask for one).
    public var isRotationDue: Bool { hasVideo && (segment?.latest ?? 0) >= segmentMicros }

    /// The steps for one frame, in order.
    public mutating func process(_ frame: Frame) -> [Step] {
        var steps: [Step] = []
        if tail != nil {
            if let step = processTail(frame) { return [step] }
            if frame.kind == .audio || (segment?.latest ?? 0) >= Self.tailMicros { steps.append(closeTail()) }
        }
        if segment != nil, let reason = discontinuity(frame) {
            if tail != nil { steps.append(closeTail()) }
            steps.append(.close(reason))
            segment = nil
        }
        if let current = segment, let frameTime = time(of: frame, in: current), isBurstDuplicate(frame, at: frameTime, in: current) {
            advance(frame)
            return steps + [.drop(.notIncreasing)]
        }
        if let current = segment, let frameTime = time(of: frame, in: current), startsNewSegment(frame, at: frameTime) {
            let start = current.start + frameTime
            let reason: CloseReason = frameTime >= maxSegmentMicros ? .maxDuration : .rotation
            if tail != nil { steps.append(closeTail()) }
            if reason == .rotation, hasVideo, current.tracks[.audio] != nil {
                tail = Tail(segment: current, boundary: start)
                steps.append(.detach)
            } else {
                steps.append(.close(reason))
            }
            segment = nil
            if frame.isKeyframe || !hasVideo { open(at: start, frame, &steps) }
        }
        if segment == nil {
            guard !hasVideo || (frame.kind == .video && frame.isKeyframe) else { return steps + [.drop(.waitingForKeyframe)] }
            open(at: frame.wallClock, frame, &steps)
        }
        guard var current = segment else { return steps }
        guard var track = current.tracks[frame.kind] else {
            // The frame that opened the segment is its time zero.
            let opened = steps.contains { if case .open = $0 { true } else { false } }
            let offset = opened ? 0 : frame.wallClock - current.start
            guard offset >= 0 else { return steps + [.drop(.beforeSegmentStart)] }
            current.tracks[frame.kind] = Track(ssrc: frame.ssrc, clockRate: frame.clockRate, lastRTP: frame.rtpTimestamp, offset: offset, lastTime: offset)
            segment = current
            return steps + [.write(time: offset)]
        }
        track.ticks += Int64(Int32(bitPattern: frame.rtpTimestamp &- track.lastRTP))
        track.lastRTP = frame.rtpTimestamp
        let time = track.offset + track.ticks * 1_000_000 / Int64(track.clockRate)
        guard time > track.lastTime else {
            current.tracks[frame.kind] = track
            segment = current
            return steps + [.drop(.notIncreasing)]
        }
        track.lastTime = time
        current.latest = max(current.latest, time)
        current.tracks[frame.kind] = track
        segment = current
        return steps + [.write(time: time)]
    }

    /// Closes the open segment (the recording stops).
    public mutating func stop() -> [Step] {
        var steps: [Step] = tail != nil ? [closeTail()] : []
        if segment != nil { steps.append(.close(.stopped)) }
        segment = nil
        return steps
    }

    private mutating func open(at start: Int64, _ frame: Frame, _ steps: inout [Step]) {
        segment = Segment(start: start, arrivalOffset: frame.arrival - frame.wallClock)
        steps.append(.open(start: start))
    }

    /// The frame's time in `segment` if its track is there, without changing anything.
    private func time(of frame: Frame, in segment: Segment) -> Int64? {
        guard let track = segment.tracks[frame.kind] else { return nil }
        let ticks = track.ticks + Int64(Int32(bitPattern: frame.rtpTimestamp &- track.lastRTP))
        return track.offset + ticks * 1_000_000 / Int64(track.clockRate)
    }

    /// Video pictures closer than this (µs) to the one before are not recorded: no camera
    /// makes 1,000 pictures a second, but a republisher answering a keyframe request sends
    /// its cached group of pictures again one 90-kHz tick apart (so that a viewer's decoder
    /// catches up at once) — pictures the recording already has, which would share one
    /// time in any player's frame rate.
    public static let minVideoSpacingMicros: Int64 = 1_000

    private func isBurstDuplicate(_ frame: Frame, at time: Int64, in segment: Segment) -> Bool {
        guard frame.kind == .video, let track = segment.tracks[.video] else { return false }
        return time < track.lastTime + Self.minVideoSpacingMicros
    }

    /// Moves the frame's track to its RTP timestamp without writing it.
    private mutating func advance(_ frame: Frame) {
        guard var current = segment, var track = current.tracks[frame.kind] else { return }
        track.ticks += Int64(Int32(bitPattern: frame.rtpTimestamp &- track.lastRTP))
        track.lastRTP = frame.rtpTimestamp
        current.tracks[frame.kind] = track
        segment = current
    }

    /// Rotation at the first keyframe (or, without video, any frame) past the segment
    /// duration; a cut at the maximum duration whatever comes.
    private func startsNewSegment(_ frame: Frame, at time: Int64) -> Bool {
        if time >= maxSegmentMicros { return true }
        guard time >= segmentMicros else { return false }
        return hasVideo ? frame.kind == .video && frame.isKeyframe : true
    }

    private func discontinuity(_ frame: Frame) -> CloseReason? {
        guard let segment, let track = segment.tracks[frame.kind] else { return nil }
        if frame.ssrc != track.ssrc { return .ssrcChanged }
        let step = Int64(Int32(bitPattern: frame.rtpTimestamp &- track.lastRTP)) * 1_000_000 / Int64(track.clockRate)
        if step < -Self.maxBackwardMicros || step > Self.maxForwardMicros { return .timestampJump }
        guard let time = time(of: frame, in: segment) else { return nil }
        let expectedArrival = segment.start + time + segment.arrivalOffset
        if abs(frame.arrival - expectedArrival) > Self.maxDriftMicros { return .clockDiscontinuity }
        return nil
    }
}
