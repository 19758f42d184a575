import Locking

/// Named conditions that must all hold before `/readyz` answers 200: listeners bound,
/// database answering. Components report their own state.
public final class Readiness: Sendable {
    private let states = LockedState<[String: String?]>([:])

    public init() {}

    /// Declares a condition that is not met yet, with the reason shown by `/readyz`.
    public func expect(_ name: String, reason: String = "starting") {
        states.withLock { $0[name] = .some(reason) }
    }

    /// Marks a condition as met.
    public func markReady(_ name: String) {
        states.withLock { $0[name] = .some(nil) }
    }

    /// Marks a condition as not met, with the reason.
    public func markNotReady(_ name: String, reason: String) {
        states.withLock { $0[name] = .some(reason) }
    }

    /// Every condition with nil when met, or the reason it is not.
    public var snapshot: [(name: String, problem: String?)] {
        states.withLock { states in
            states.keys.sorted().map { (name: $0, problem: states[$0] ?? nil) }
        }
    }
}
