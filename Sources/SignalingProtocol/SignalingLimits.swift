/// Limits of the signaling service; the defaults are KVS's (DESIGN.md §3).
public struct SignalingLimits: Sendable, Equatable {
    /// Viewers per channel at once.
    public var maxViewers = 10
    /// SDP offers and answers per second per connection, sustained; bursts of twice as
    /// many pass (a master answering ten viewers that joined together).
    public var sdpPerSecond = 5.0
    /// ICE candidates per second per connection, sustained; bursts of twice as many pass.
    public var candidatesPerSecond = 20.0
    /// Largest `messagePayload` in characters of base64.
    public var maxPayloadCharacters = 10_000
    /// A connection that sends no message for this long gets GO_AWAY and is closed.
    public var idleTimeout = 600.0
    /// A connection lives at most this long …
    public var maxConnectionDuration = 3600.0
    /// … and gets GO_AWAY this long before.
    public var goAwayLead = 60.0
    /// Messages held per channel for an absent master; the oldest go first beyond it.
    public var maxHeldPerChannel = 256

    public init() {}
}

/// Why a client message was not relayed.
public enum SignalingDropReason: String, Sendable, Equatable, CaseIterable {
    case malformed
    case badAction = "bad_action"
    case payloadTooLarge = "payload_too_large"
    case rateLimited = "rate_limited"
    case unknownRecipient = "unknown_recipient"
    case missingRecipient = "missing_recipient"
    case heldOverflow = "held_overflow"
    case expired
    case slowConsumer = "slow_consumer"

    /// The `errorType` and `statusCode` of the STATUS_RESPONSE sent for it.
    var status: (errorType: String, code: String) {
        switch self {
        case .rateLimited: ("ClientLimitExceededException", "429")
        case .unknownRecipient: ("ResourceNotFoundException", "404")
        default: ("InvalidArgumentException", "400")
        }
    }
}

/// A token bucket filling at `rate` tokens per second, holding at most `capacity`.
struct TokenBucket: Sendable {
    let rate: Double
    let capacity: Double
    private var tokens: Double
    private var updated: Double

    init(rate: Double, capacity: Double, now: Double) {
        self.rate = rate
        self.capacity = capacity
        tokens = capacity
        updated = now
    }

    /// Takes a token if one is available.
    mutating func take(now: Double) -> Bool {
        tokens = min(capacity, tokens + max(0, now - updated) * rate)
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
