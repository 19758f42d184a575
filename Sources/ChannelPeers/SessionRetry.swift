import Signaling

/// How a gateway worker keeps its channel: one session after another until the deadline or
/// cancellation, with a backoff between them (0.5 s growing to 10 s with jitter, reset after
/// a session that lasted 30 s), so a server that is down is not hammered.
public enum SessionRetry {
    /// What follows a session.
    public enum Next: Sendable {
        /// Another session after the backoff.
        case again
        /// Another session at once (the last one ended as expected, e.g. a master whose
        /// signaling client reconnects by itself).
        case againAtOnce
        case stop
    }

    public static func run(until deadline: ContinuousClock.Instant?, _ session: () async -> Next) async {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        let backoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(10))
        while !Task.isCancelled, deadline.map({ ContinuousClock.now < $0 }) ?? true {
            let started = ContinuousClock.now
            switch await session() {
            case .stop: return
            case .againAtOnce: continue
            case .again: break
            }
            if ContinuousClock.now - started > .seconds(30) { attempt = 0 }
            let delay = backoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            if let deadline, ContinuousClock.now + delay >= deadline { return }
            try? await Task.sleep(for: delay)
        }
    }
}
