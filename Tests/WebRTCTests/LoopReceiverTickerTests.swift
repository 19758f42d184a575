import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import WebRTC

/// Every media receiver on an event loop is ticked by that loop's one timer.
@Suite struct LoopReceiverTickerTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func tick() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    final class Owner: Sendable {}

    @Test func receiversOnALoopShareOneTimerUntilTheLastLeaves() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let (first, second) = (Counter(), Counter())
        let (firstOwner, secondOwner) = (Owner(), Owner())
        let interval = Duration.milliseconds(7)
        let shared = try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            ticker.add(firstOwner) { first.tick() }
            ticker.add(secondOwner) { second.tick() }
            return ticker === LoopReceiverTicker.on(loop, interval: interval) && ticker.isRunning
        }.get()
        #expect(shared)
        try await Task.sleep(for: .milliseconds(200))
        let afterBoth = try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            ticker.remove(ObjectIdentifier(firstOwner))
            return (first.count, second.count, ticker.isRunning)
        }.get()
        #expect(afterBoth.0 >= 10)
        // The same timer ticks both: at most one tick apart.
        #expect(abs(afterBoth.0 - afterBoth.1) <= 1)
        #expect(afterBoth.2)
        try await Task.sleep(for: .milliseconds(100))
        let running = try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            ticker.remove(ObjectIdentifier(secondOwner))
            return ticker.isRunning
        }.get()
        #expect(first.count == afterBoth.0)
        #expect(second.count > afterBoth.1)
        #expect(!running)
    }

    /// A receiver's owner dropped without leaving (a connection never closed) loses its tick
    /// at the next interval, and with nothing else on the loop the timer stops.
    @Test func anOwnerThatIsGoneLosesItsTick() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let counter = Counter()
        let interval = Duration.milliseconds(9)
        let id = try await loop.submit {
            let owner = Owner()
            LoopReceiverTicker.on(loop, interval: interval).add(owner) { counter.tick() }
            return ObjectIdentifier(owner)
        }.get()
        try await Task.sleep(for: .milliseconds(100))
        let (kept, running) = try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            return (ticker.contains(id), ticker.isRunning)
        }.get()
        #expect(counter.count == 0)
        #expect(!kept)
        #expect(!running)
    }

    /// A tick that removes another receiver (a connection closing one that shares its loop)
    /// takes effect in the same pass: the removed one is not ticked again, the others are.
    @Test func aReceiverRemovedDuringAPassIsNotTicked() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let (first, second, third) = (Counter(), Counter(), Counter())
        let (firstOwner, secondOwner, thirdOwner) = (Owner(), Owner(), Owner())
        let interval = Duration.milliseconds(11)
        let secondID = ObjectIdentifier(secondOwner)
        try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            ticker.add(firstOwner) {
                first.tick()
                LoopReceiverTicker.on(loop, interval: interval).remove(secondID)
            }
            ticker.add(secondOwner) { second.tick() }
            ticker.add(thirdOwner) { third.tick() }
        }.get()
        try await Task.sleep(for: .milliseconds(150))
        let running = try await loop.submit {
            let ticker = LoopReceiverTicker.on(loop, interval: interval)
            let kept = (ticker.contains(ObjectIdentifier(firstOwner)), ticker.contains(secondID), ticker.contains(ObjectIdentifier(thirdOwner)))
            ticker.remove(ObjectIdentifier(firstOwner))
            ticker.remove(ObjectIdentifier(thirdOwner))
            return (kept, ticker.isRunning)
        }.get()
        #expect(first.count >= 5)
        #expect(second.count == 0)
        #expect(third.count == first.count)
        #expect(running.0 == (true, false, true))
        #expect(!running.1)
        withExtendedLifetime((firstOwner, secondOwner, thirdOwner)) {}
    }
}
