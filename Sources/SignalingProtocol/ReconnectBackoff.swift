/// Delays between reconnection attempts: exponential backoff with full jitter
/// (a uniformly random delay between zero and `min(maximum, initial × 2^attempt)`), so
/// that many clients dropped together do not reconnect together.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The upper bound of the delay before attempt number `attempt` (0 for the first retry).
    public func ceiling(attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt, 0), 30)
        let grown = initial * factor
        return grown > maximum ? maximum : grown
    }

    /// The delay before attempt `attempt`, using `unit` ∈ [0, 1) as the random draw.
    public func delay(attempt: Int, unit: Double) -> Duration {
        ceiling(attempt: attempt) * min(max(unit, 0), 1)
    }

    /// The delay before attempt `attempt` with a draw from `generator`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(attempt: attempt, unit: Double.random(in: 0..<1, using: &generator))
    }
}
