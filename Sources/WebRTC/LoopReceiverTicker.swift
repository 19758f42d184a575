import NIOCore
import Synchronization

/// One timer per event loop for the media receivers of every transport on it (reorder
/// timeouts, NACKs and PLIs every ``interval``): a loop recording forty sessions woke 2,000
/// times a second for forty timers at forty phases; now it wakes 50 times and ticks them
/// all. Only its own event loop touches a ticker.
final class LoopReceiverTicker {
    let eventLoop: any EventLoop
    let interval: Duration
    /// A tick and what it ticks for: an owner that went away without ``remove(_:)`` (a
    /// connection dropped without being closed) loses its tick at the next interval.
    private struct Entry {
        weak var owner: AnyObject?
        let tick: @Sendable () -> Void
    }

    private var ticks: [ObjectIdentifier: Entry] = [:]
    private var task: RepeatedTask?

    private init(eventLoop: any EventLoop, interval: Duration) {
        self.eventLoop = eventLoop
        self.interval = interval
    }

    private struct Key: Hashable {
        let loop: ObjectIdentifier
        let interval: Duration
    }

    private static let tickers = Mutex<[Key: NIOLoopBound<LoopReceiverTicker>]>([:])

    /// The ticker of `eventLoop` for `interval`; call on that loop.
    static func on(_ eventLoop: any EventLoop, interval: Duration) -> LoopReceiverTicker {
        eventLoop.preconditionInEventLoop()
        let key = Key(loop: ObjectIdentifier(eventLoop), interval: interval)
        return tickers.withLock { tickers in
            if let ticker = tickers[key] { return ticker.value }
            let ticker = LoopReceiverTicker(eventLoop: eventLoop, interval: interval)
            tickers[key] = NIOLoopBound(ticker, eventLoop: eventLoop)
            return ticker
        }
    }

    /// `tick` runs every interval from now on, until ``remove(_:)`` or until `owner` is gone.
    func add(_ owner: AnyObject, tick: @escaping @Sendable () -> Void) {
        ticks[ObjectIdentifier(owner)] = Entry(owner: owner, tick: tick)
        guard task == nil else { return }
        let nanoseconds = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        let loop = NIOLoopBound(self, eventLoop: eventLoop)
        task = eventLoop.scheduleRepeatedTask(initialDelay: .nanoseconds(nanoseconds), delay: .nanoseconds(nanoseconds)) { _ in loop.value.fire() }
    }

    func remove(_ id: ObjectIdentifier) {
        ticks.removeValue(forKey: id)
        if ticks.isEmpty {
            task?.cancel()
            task = nil
        }
    }

    func contains(_ id: ObjectIdentifier) -> Bool { ticks[id] != nil }

    /// Whether its timer is scheduled (while anything is ticked).
    var isRunning: Bool { task != nil }

    private func fire() {
        // A tick may end its transport, which removes it: iterate over a copy.
        for (id, entry) in Array(ticks) {
            if entry.owner == nil {
                remove(id)
            } else {
                entry.tick()
            }
        }
    }
}
