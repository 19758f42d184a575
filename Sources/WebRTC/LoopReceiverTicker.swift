import NIOCore
import Synchronization

/// One timer per event loop for the media receivers of every transport on it (reorder
/// timeouts, NACKs and PLIs every ``interval``): a loop recording forty sessions woke 2,000
/// times a second for forty timers at forty phases; now it wakes once an interval and ticks
/// them all. Only its own event loop touches a ticker.
final class LoopReceiverTicker {
    let eventLoop: any EventLoop
    let interval: Duration
    /// A tick and what it ticks for: an owner that went away without ``remove(_:)`` (a
    /// connection dropped without being closed) loses its tick at the next interval. A
    /// class, so a tick's pass over the entries copies references, not weak references.
    private final class Entry {
        let id: ObjectIdentifier
        weak var owner: AnyObject?
        let tick: @Sendable () -> Void
        /// Removed during a pass; skipped for the rest of it.
        var removed = false

        init(owner: AnyObject, tick: @escaping @Sendable () -> Void) {
            id = ObjectIdentifier(owner)
            self.owner = owner
            self.tick = tick
        }
    }

    /// In the order they were added; few, and removed rarely (a linear search is enough).
    private var ticks: [Entry] = []
    /// The next tick's callback and when it is due. A scheduled callback, not a repeated
    /// task: NIO's repeated task makes a promise and a future for every run.
    private var scheduled: NIOScheduledCallback?
    private var deadline = NIODeadline.now()

    /// Calls the ticker back on its loop.
    private struct Callback: NIOScheduledCallbackHandler, Sendable {
        let ticker: NIOLoopBound<LoopReceiverTicker>

        func handleScheduledCallback(eventLoop: some EventLoop) { ticker.value.fire() }
    }

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
        remove(ObjectIdentifier(owner))
        ticks.append(Entry(owner: owner, tick: tick))
        guard scheduled == nil else { return }
        deadline = .now()
        scheduleNext()
    }

    func remove(_ id: ObjectIdentifier) {
        guard let index = ticks.firstIndex(where: { $0.id == id }) else { return }
        ticks[index].removed = true
        ticks.remove(at: index)
        if ticks.isEmpty, let scheduled {
            eventLoop.cancelScheduledCallback(scheduled)
            self.scheduled = nil
        }
    }

    /// Schedules the next tick an interval after the last one was due (no drift), or at once
    /// when the loop fell more than an interval behind. A loop shutting down refuses it, and
    /// ticks end there.
    private func scheduleNext() {
        let nanoseconds = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        let now = NIODeadline.now()
        deadline = max(deadline + .nanoseconds(nanoseconds), now)
        scheduled = try? eventLoop.scheduleCallback(at: deadline, handler: Callback(ticker: NIOLoopBound(self, eventLoop: eventLoop)))
    }

    func contains(_ id: ObjectIdentifier) -> Bool { ticks.contains { $0.id == id } }

    /// Whether its timer is scheduled (while anything is ticked).
    var isRunning: Bool { scheduled != nil }

    private func fire() {
        scheduled = nil
        // A tick may end its transport, which removes it (or another): iterate over this
        // pass's array (the stored one changes on its own copy) and skip what was removed.
        let pass = ticks
        for entry in pass where !entry.removed {
            if entry.owner == nil {
                remove(entry.id)
            } else {
                entry.tick()
            }
        }
        if !ticks.isEmpty && scheduled == nil { scheduleNext() }
    }
}
