import SignalingProtocol

/// Keeps a client under the per-connection message rates of the signaling service (KVS's,
/// which peergate's server applies too: SDP offers and answers 5 a second, ICE candidates
/// 20, bursts of twice as many; ``SignalingLimits``). A message past its allowance is sent
/// later instead of being refused with 429 and lost — a master answering eleven viewers
/// that joined together lost the eleventh answer, and that viewer waited in vain. Sans-I/O:
/// given each message's kind and the time, it says how long to wait before sending it.
/// The client keeps a tenth below the service's rate and one message below its burst, so
/// that arrival jitter does not tip a message over the server's count.
public struct SignalingSendPacer: Sendable {
    struct Allowance: Sendable {
        let rate: Double
        let capacity: Double
        var tokens: Double
        var updated: ContinuousClock.Instant

        init(perSecond: Double, now: ContinuousClock.Instant) {
            rate = perSecond * 0.9
            capacity = max(1, 2 * perSecond - 1)
            tokens = capacity
            updated = now
        }

        /// Takes a token, borrowing ahead when none is left; returns the wait until it is due.
        mutating func take(now: ContinuousClock.Instant) -> Duration {
            let elapsed = max(.zero, now - updated)
            tokens = min(capacity, tokens + elapsed / .seconds(1) * rate)
            updated = now
            tokens -= 1
            return tokens >= 0 ? .zero : .microseconds(Int64((-tokens / rate * 1_000_000).rounded(.up)))
        }
    }

    private var sdp: Allowance
    private var candidates: Allowance

    public init(sdpPerSecond: Double = 5, candidatesPerSecond: Double = 20, now: ContinuousClock.Instant = .now) {
        sdp = Allowance(perSecond: sdpPerSecond, now: now)
        candidates = Allowance(perSecond: candidatesPerSecond, now: now)
    }

    /// How long to hold a message of `action` before sending it (messages go in order, so
    /// the caller sends it, and the ones after it, once that time has passed).
    public mutating func wait(for action: SignalingMessageType, now: ContinuousClock.Instant) -> Duration {
        switch action {
        case .sdpOffer, .sdpAnswer: sdp.take(now: now)
        case .iceCandidate: candidates.take(now: now)
        default: .zero
        }
    }
}
