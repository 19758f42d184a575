/// Asks for a keyframe (PLI, RFC 4585 §6.3.1) when decoding cannot go on, no more often
/// than `minInterval` so a burst of losses sends one request.
public struct KeyframeRequester: Sendable {
    public var minInterval: Duration
    public private(set) var requests = 0
    private var lastRequest: ContinuousClock.Instant?

    public init(minInterval: Duration = .milliseconds(300)) {
        self.minInterval = minInterval
    }

    /// Whether to send a PLI now.
    public mutating func shouldRequest(now: ContinuousClock.Instant) -> Bool {
        if let lastRequest, now - lastRequest < minInterval { return false }
        lastRequest = now
        requests += 1
        return true
    }
}
