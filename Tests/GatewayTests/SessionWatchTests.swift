import Testing

@testable import ChannelPeers
import WebRTC

/// A viewer session's end: an explicit end or cancellation wakes the waiter at once, while
/// the frame count is looked at only a few times per media timeout. (The waits here check
/// once an hour: a waiter that an end did not wake would hang until the time limit.)
@Suite(.timeLimit(.minutes(1))) struct SessionWatchTests {
    @Test func anExplicitEndWakesTheWaiter() async throws {
        let watch = SessionWatch()
        let waiting = Task { await watch.wait(until: nil, mediaTimeout: .seconds(7_200), activity: ReceiveActivity(), checkInterval: .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(50))
        await watch.end(.signalingEnded)
        #expect(await waiting.value == .signalingEnded)
    }

    @Test func cancellationWakesTheWaiter() async throws {
        let watch = SessionWatch()
        let waiting = Task { await watch.wait(until: nil, mediaTimeout: .seconds(7_200), activity: ReceiveActivity(), checkInterval: .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == .deadline)
    }

    @Test func theDeadlineEndsTheWaitBeforeTheNextCheck() async {
        let started = ContinuousClock.now
        let reason = await SessionWatch().wait(
            until: started + .milliseconds(100), mediaTimeout: .seconds(7_200), activity: ReceiveActivity(), checkInterval: .seconds(3_600))
        #expect(reason == .deadline)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }

    @Test func silenceLongerThanTheTimeoutEndsTheSession() async {
        let started = ContinuousClock.now
        let reason = await SessionWatch().wait(until: nil, mediaTimeout: .milliseconds(200), activity: ReceiveActivity())
        #expect(reason == .noMedia)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func theFrameCountIsCheckedAFewTimesPerTimeoutAndAtMostOnceASecond() {
        #expect(SessionWatch.checkInterval(mediaTimeout: .seconds(15)) == .seconds(1))
        #expect(SessionWatch.checkInterval(mediaTimeout: .seconds(2)) == .milliseconds(500))
        #expect(SessionWatch.checkInterval(mediaTimeout: .milliseconds(20)) == .milliseconds(10))
    }
}
