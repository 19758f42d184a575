import WebRTC

/// The transport configuration of a long-lived signaling session: the TURN credentials
/// `GetIceServerConfig` issues expire after their `Ttl` (300 s by default), and a
/// PeerConnection made with expired ones gets 401 for its relay allocations — a master
/// serving viewers for hours would offer no relayed candidates after five minutes. The
/// configuration is fetched again once less than a fifth of its lifetime (at least 10 s) is
/// left; if that fails the last one is kept and the next PeerConnection tries again.
public actor TransportConfigurationSource {
    public typealias Fetch = @Sendable () async throws -> (configuration: WebRTCTransportConfiguration, lifetime: Duration?)

    private var configuration: WebRTCTransportConfiguration
    private var refreshAt: ContinuousClock.Instant?
    private let fetch: Fetch
    /// Fetches made after the first (for metrics and tests).
    public private(set) var refreshes = 0

    /// - Parameters:
    ///   - configuration: the configuration just fetched, valid for `lifetime` (nil: forever).
    ///   - fetch: gets a fresh configuration and its lifetime.
    public init(configuration: WebRTCTransportConfiguration, lifetime: Duration?, now: ContinuousClock.Instant = .now, fetch: @escaping Fetch) {
        self.configuration = configuration
        self.fetch = fetch
        refreshAt = lifetime.map { now + Self.usableFor($0) }
    }

    /// A configuration whose credentials are good for a while yet.
    public func current(now: ContinuousClock.Instant = .now) async -> WebRTCTransportConfiguration {
        guard let refreshAt, now >= refreshAt, let fresh = try? await fetch() else { return configuration }
        configuration = fresh.configuration
        self.refreshAt = fresh.lifetime.map { now + Self.usableFor($0) }
        refreshes += 1
        return configuration
    }

    /// How long credentials of `lifetime` are used before fetching new ones.
    static func usableFor(_ lifetime: Duration) -> Duration {
        lifetime - max(lifetime / 5, .seconds(10))
    }
}
