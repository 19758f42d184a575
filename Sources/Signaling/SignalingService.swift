import Locking

/// Where the service writes to one connection. The service calls it while holding its
/// lock, so implementations must neither block nor call back into the service
/// synchronously: they queue, or hand the work to the connection's event loop.
public protocol SignalingConnectionSink: Sendable {
    /// Writes one text message; false when the connection cannot take it now (a peer that
    /// stopped reading), in which case the message is dropped and counted.
    func send(_ text: String) -> Bool
    /// Closes the connection after what was written before, with a reason for the peer.
    func close(reason: String)
}

/// Drives a ``SignalingHub`` for live connections: one lock around the hub and the
/// connections' sinks, messages handed to each sink in the order the hub produced them,
/// and a clock. A sink that cannot take a message (its peer stopped reading) loses it,
/// which is counted, instead of slowing the service or the sender.
public final class SignalingService: Sendable {
    private struct State: Sendable {
        var hub: SignalingHub
        var sinks: [SignalingConnectionID: any SignalingConnectionSink] = [:]
        var nextID: UInt64 = 1
    }

    private let state: LockedState<State>
    private let clock: @Sendable () -> Double
    private let metrics: SignalingMetrics

    /// - Parameter clock: monotonic seconds.
    public init(limits: SignalingLimits = SignalingLimits(), clock: @escaping @Sendable () -> Double = SignalingService.monotonicSeconds) {
        state = LockedState(State(hub: SignalingHub(limits: limits)))
        self.clock = clock
        metrics = SignalingMetrics()
    }

    /// Seconds on the continuous clock since the first use.
    public static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock().now - referenceInstant
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let referenceInstant = ContinuousClock().now

    public var limits: SignalingLimits { state.withLock { $0.hub.limits } }

    /// Totals since start.
    public var counters: SignalingCounters { state.withLock { $0.hub.counters } }

    public var connectionCount: Int { state.withLock { $0.hub.connectionCount } }

    /// Whether a channel's master is connected, and how many viewers are.
    public func presence(channelARN: String) -> (master: Bool, viewers: Int) {
        state.withLock { $0.hub.presence(channelARN: channelARN) }
    }

    /// Whether a viewer with this client id would be admitted now (used to refuse the
    /// WebSocket upgrade with a clear error rather than after it).
    public func hasRoom(channelARN: String, for peer: SignalingPeer) -> Bool {
        state.withLock { $0.hub.hasRoom(channelARN: channelARN, for: peer) }
    }

    /// Registers a connection that writes through `sink`.
    public func open(
        channelARN: String, messageTTL: Double, peer: SignalingPeer, sink: any SignalingConnectionSink
    ) throws(SignalingConnectRefusal) -> SignalingConnectionID {
        let now = clock()
        return try state.withLock { (state) throws(SignalingConnectRefusal) -> SignalingConnectionID in
            let id = SignalingConnectionID(state.nextID)
            state.nextID += 1
            let outputs = try state.hub.connect(id, channelARN: channelARN, messageTTL: messageTTL, peer: peer, now: now)
            state.sinks[id] = sink
            perform(outputs, in: &state)
            return id
        }
    }

    /// Handles a text frame from a connection.
    public func receive(_ id: SignalingConnectionID, text: String) {
        let now = clock()
        state.withLock { state in
            perform(state.hub.receive(id, text: text, now: now), in: &state)
        }
    }

    /// Forgets a connection whose socket closed.
    public func disconnect(_ id: SignalingConnectionID) {
        state.withLock { state in
            state.hub.disconnect(id)
            state.sinks[id] = nil
            metrics.sync(state.hub)
        }
    }

    /// GO_AWAY and close for every connection of a deleted channel.
    public func closeChannel(_ channelARN: String) {
        state.withLock { state in
            perform(state.hub.closeChannel(channelARN, reason: "the channel was deleted"), in: &state)
        }
    }

    /// GO_AWAY and close for every connection (the server is shutting down).
    public func closeAll(reason: String) {
        state.withLock { state in
            perform(state.hub.closeAll(reason: reason), in: &state)
        }
    }

    /// Expires held messages and closes idle or too old connections; call about once a second.
    public func tick() {
        let now = clock()
        state.withLock { state in
            perform(state.hub.tick(now: now), in: &state)
        }
    }

    /// Ticks once a second until cancelled.
    public func runTicks() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            tick()
        }
    }

    private func perform(_ outputs: [SignalingHubOutput], in state: inout State) {
        for output in outputs {
            switch output {
            case .deliver(let id, let message):
                guard let sink = state.sinks[id] else { continue }
                if !sink.send(message.json()) { state.hub.countUndeliverable() }
            case .close(let id, let reason):
                state.sinks.removeValue(forKey: id)?.close(reason: reason)
            }
        }
        metrics.sync(state.hub)
    }
}
