import Republishing
import Testing

/// One output timeline across loops, reconnects and timestamp jumps.
@Suite struct SourceClockTests {
    @Test func timesFollowTheSourceFromTheFirstFrame() {
        var clock = SourceClock()
        // The first frame lands at the elapsed time; the next follow the source's spacing.
        #expect(clock.place(0, kind: .video, elapsed: 500_000) == 500_000)
        #expect(clock.place(33_333, kind: .video, elapsed: 530_000) == 533_333)
        #expect(clock.place(20_000, kind: .audio, elapsed: 530_000) == 520_000)
        // Audio a little behind video (containers interleave loosely) is fine.
        #expect(clock.place(66_666, kind: .video, elapsed: 560_000) == 566_666)
    }

    @Test func aNewOpeningContinuesAfterTheLastFrame() {
        var clock = SourceClock()
        _ = clock.place(0, kind: .video, elapsed: 0)
        #expect(clock.place(2_966_666, kind: .video, elapsed: 2_966_000) == 2_966_666)
        // The file starts over (a loop), a moment before the clock would expect it.
        clock.restart()
        #expect(clock.place(0, kind: .video, elapsed: 2_980_000) == 2_966_666 + SourceClock.restartGap)
        #expect(clock.place(33_333, kind: .video, elapsed: 3_010_000) == 2_986_666 + 33_333)
        // A reconnect after an outage continues at the elapsed time.
        clock.restart()
        #expect(clock.place(90_000_000, kind: .video, elapsed: 8_000_000) == 8_000_000)
    }

    @Test func aJumpInTheSourceReanchors() {
        var clock = SourceClock()
        _ = clock.place(1_000_000, kind: .video, elapsed: 0)
        _ = clock.place(1_033_333, kind: .video, elapsed: 33_000)
        // The camera's clock jumps an hour ahead: placed at the elapsed time, then smooth again.
        #expect(clock.place(3_601_066_666, kind: .video, elapsed: 66_000) == 66_000)
        #expect(clock.place(3_601_100_000, kind: .video, elapsed: 99_000) == 99_334)
        // …and a step back further than a frame does too.
        #expect(clock.place(0, kind: .video, elapsed: 132_000) == 132_000)
    }
}
