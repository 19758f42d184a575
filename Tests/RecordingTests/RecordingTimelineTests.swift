import Recording
import Testing

/// Segment timing from RTP and wall clock: keyframe starts, rotation, cuts on SSRC
/// changes, timestamp jumps and clock drift, audio placed by its own wall clock.
@Suite struct RecordingTimelineTests {
    typealias Frame = RecordingTimeline.Frame
    static let t0: Int64 = 1_800_000_000_000_000

    /// Video frame `index` at 30 fps (RTP 90 kHz), arriving on time.
    static func video(_ index: Int, key: Bool = false, ssrc: UInt32 = 1, rtpBase: UInt32 = 1000, arrivalShift: Int64 = 0) -> Frame {
        let micros = Int64(index) * 33_333
        return Frame(
            kind: .video, ssrc: ssrc, rtpTimestamp: rtpBase &+ UInt32(index * 3000), clockRate: 90_000, isKeyframe: key, wallClock: t0 + micros,
            arrival: t0 + micros + 20_000 + arrivalShift)
    }

    /// Audio frame `index` of 20 ms (RTP 48 kHz), starting `offset` µs after t0.
    static func audio(_ index: Int, offset: Int64 = 0) -> Frame {
        let micros = offset + Int64(index) * 20_000
        return Frame(kind: .audio, ssrc: 2, rtpTimestamp: 5000 &+ UInt32(index * 960), clockRate: 48_000, isKeyframe: true, wallClock: t0 + micros, arrival: t0 + micros + 20_000)
    }

    @Test func waitsForAKeyframeThenTimesFramesFromRTP() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 60)
        #expect(timeline.process(Self.audio(0)) == [.drop(.waitingForKeyframe)])
        #expect(timeline.process(Self.video(0)) == [.drop(.waitingForKeyframe)])
        #expect(timeline.process(Self.video(1, key: true)) == [.open(start: Self.t0 + 33_333), .write(time: 0)])
        #expect(timeline.process(Self.video(2)) == [.write(time: 33_333)])
        // Audio joins at its own wall-clock offset from the segment start.
        #expect(timeline.process(Self.audio(5)) == [.write(time: 100_000 - 33_333)])
        #expect(timeline.process(Self.audio(6)) == [.write(time: 120_000 - 33_333)])
        // Audio from before the segment start is not written.
        var late = RecordingTimeline(hasVideo: true, segmentSeconds: 60)
        _ = late.process(Self.video(10, key: true))
        #expect(late.process(Self.audio(0)) == [.drop(.beforeSegmentStart)])
    }

    @Test func rotatesAtTheFirstKeyframeAfterTheSegmentDuration() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 1)
        _ = timeline.process(Self.video(0, key: true))
        for index in 1..<40 { #expect(timeline.process(Self.video(index)) == [.write(time: Int64(index) * 1_000_000 / 30)]) }
        #expect(timeline.isRotationDue)
        // Frame 40 is 1.33 s in: the next segment starts there, continuous with the last.
        #expect(timeline.process(Self.video(40, key: true)) == [.close(.rotation), .open(start: Self.t0 + 1_333_333), .write(time: 0)])
        #expect(timeline.process(Self.video(41)) == [.write(time: 33_333)])
        #expect(!timeline.isRotationDue)
    }

    @Test func audioTimedBeforeTheNextSegmentGoesIntoTheClosingOne() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 1)
        _ = timeline.process(Self.video(0, key: true))
        #expect(timeline.process(Self.audio(0)) == [.write(time: 0)])
        for index in 1..<40 { _ = timeline.process(Self.video(index)) }
        for index in 1...65 { _ = timeline.process(Self.audio(index)) }
        // The keyframe at 1.333 s opens the next segment; the closing one stays open for audio.
        #expect(timeline.process(Self.video(40, key: true)) == [.detach, .open(start: Self.t0 + 1_333_333), .write(time: 0)])
        #expect(timeline.hasTail)
        // Audio that starts at 1.32 s (sent after the keyframe) belongs to the closing segment…
        #expect(timeline.process(Self.audio(66)) == [.writeTail(time: 1_320_000)])
        // …audio from 1.34 s on to the new one: the closing segment is complete.
        #expect(timeline.process(Self.audio(67)) == [.closeTail, .write(time: 1_340_000 - 1_333_333)])
        #expect(!timeline.hasTail)

        // Without audio after a rotation, the closing segment waits one second of the new one.
        var silent = RecordingTimeline(hasVideo: true, segmentSeconds: 1)
        _ = silent.process(Self.video(0, key: true))
        _ = silent.process(Self.audio(0))
        for index in 1..<40 { _ = silent.process(Self.video(index)) }
        #expect(silent.process(Self.video(40, key: true)).first == .detach)
        for index in 41...70 { #expect(silent.process(Self.video(index)) == [.write(time: Int64(index - 40) * 100_000 / 3)]) }
        #expect(silent.process(Self.video(71)) == [.closeTail, .write(time: 31 * 100_000 / 3)])
        // Stopping closes both.
        #expect(silent.process(Self.audio(70)) == [.write(time: 1_400_000 - 1_333_333)])
        #expect(silent.process(Self.video(80, key: true)).first == .detach)
        #expect(silent.stop() == [.closeTail, .close(.stopped)])
    }

    @Test func audioOnlyRotatesOnAnyFrame() {
        var timeline = RecordingTimeline(hasVideo: false, segmentSeconds: 1)
        #expect(timeline.process(Self.audio(0)) == [.open(start: Self.t0), .write(time: 0)])
        for index in 1..<50 { _ = timeline.process(Self.audio(index)) }
        #expect(timeline.process(Self.audio(50)) == [.close(.rotation), .open(start: Self.t0 + 1_000_000), .write(time: 0)])
    }

    @Test func aNewSSRCATimestampJumpOrClockDriftStartsANewSegment() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 60)
        _ = timeline.process(Self.video(0, key: true))
        _ = timeline.process(Self.video(1))
        // A new encoder (SSRC): cut; its first frame is a keyframe, so a segment opens at once.
        #expect(timeline.process(Self.video(2, key: true, ssrc: 9)) == [.close(.ssrcChanged), .open(start: Self.t0 + 66_666), .write(time: 0)])
        // RTP jumps an hour ahead: cut, and nothing until the next keyframe.
        #expect(timeline.process(Self.video(3, ssrc: 9, rtpBase: 1000 &+ 324_000_000)) == [.close(.timestampJump), .drop(.waitingForKeyframe)])
        #expect(timeline.process(Self.video(4, key: true, ssrc: 9)).first == .open(start: Self.t0 + 4 * 33_333))
        // Frames keep coming on RTP time but arrive 20 s later than it says: the clocks parted.
        #expect(timeline.process(Self.video(5, ssrc: 9, arrivalShift: 20_000_000)) == [.close(.clockDiscontinuity), .drop(.waitingForKeyframe)])
    }

    /// A republisher answering a keyframe request re-sends its cached pictures one 90-kHz
    /// tick apart: they are dropped (the recording has them), the due rotation waits for a
    /// keyframe that is not such a copy, and the frames after them keep their times.
    @Test func aResentBurstOfCachedPicturesIsNotRecordedNorRotatedOn() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 1)
        _ = timeline.process(Self.video(0, key: true))
        for index in 1...40 { _ = timeline.process(Self.video(index)) }
        #expect(timeline.isRotationDue)
        // The cached keyframe and two pictures again, 1 tick after picture 40 each.
        for tick in 1...3 {
            let resent = Frame(
                kind: .video, ssrc: 1, rtpTimestamp: 1000 &+ UInt32(40 * 3000 + tick), clockRate: 90_000, isKeyframe: tick == 1,
                wallClock: Self.t0 + 40 * 33_333, arrival: Self.t0 + 40 * 33_333 + 20_000)
            #expect(timeline.process(resent) == [.drop(.notIncreasing)])
        }
        let (time41, time42): (Int64, Int64) = (1_366_666, 1_400_000)  // 41 and 42 × 3,000 ticks at 90 kHz
        #expect(timeline.process(Self.video(41)) == [.write(time: time41)])
        let rotation: [RecordingTimeline.Step] = [.close(.rotation), .open(start: Self.t0 + time42), .write(time: 0)]
        #expect(timeline.process(Self.video(42, key: true)) == rotation)
    }

    @Test func repeatedTimestampsAreDroppedNotWrittenBackwards() {
        var timeline = RecordingTimeline(hasVideo: true, segmentSeconds: 60)
        _ = timeline.process(Self.video(0, key: true))
        _ = timeline.process(Self.video(1))
        #expect(timeline.process(Self.video(1)) == [.drop(.notIncreasing)])
        #expect(timeline.stop() == [.close(.stopped)])
        #expect(timeline.stop() == [])
    }
}
