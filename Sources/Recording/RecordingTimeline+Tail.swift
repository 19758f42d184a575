extension RecordingTimeline {
    /// The step for a frame that belongs in the tail (audio of the tail's stream timed
    /// before the next segment's start), nil for any other frame.
    mutating func processTail(_ frame: Frame) -> Step? {
        guard frame.kind == .audio, frame.wallClock < tail?.boundary ?? .min, var closing = tail?.segment,
            var track = closing.tracks[.audio], track.ssrc == frame.ssrc
        else { return nil }
        let ticks = track.ticks + Int64(Int32(bitPattern: frame.rtpTimestamp &- track.lastRTP))
        let time = track.offset + ticks * 1_000_000 / Int64(track.clockRate)
        // Only audio that continues the tail's stream: a step back or a jump ends the tail.
        guard time > track.lastTime, time - track.lastTime <= Self.tailMicros else { return nil }
        track.ticks = ticks
        track.lastRTP = frame.rtpTimestamp
        track.lastTime = time
        closing.latest = max(closing.latest, time)
        closing.tracks[.audio] = track
        tail?.segment = closing
        return .writeTail(time: time)
    }

    /// Ends the tail; the step that closes it.
    mutating func closeTail() -> Step {
        tail = nil
        return .closeTail
    }

    /// Whether a rotated segment still takes audio.
    public var hasTail: Bool { tail != nil }

    /// Forgets the tail (its file failed and was closed by the caller).
    public mutating func dropTail() { tail = nil }
}
