import Synchronization

/// Drives a ``SignalingHub`` for live connections: one lock around the hub and the
/// connections' outbound queues, messages handed to each connection's queue in the order
/// the hub produced them, and a clock.
///
/// Each connection drains its own bounded queue into its socket; a queue that fills up
/// (a peer that stopped reading) loses messages, which are counted, instead of slowing the
/// service or the sender.
public final class SignalingService: Sendable {
    /// What a connection's writer does next.
    public enum Outbound: Sendable, Equatable {
        case text(String)
        case close(reason: String)
    }

    /// A connection registered with the service.
    public struct Session: Sendable {
        public let id: SignalingConnectionID
        public let peer: SignalingPeer
        /// Messages to write to the peer, ending with a `.close` when the service closes it.
        public let outbound: AsyncStream<Outbound>
    }

    private struct State: Sendable {
        var hub: SignalingHub
        var queues: [SignalingConnectionID: AsyncStream<Outbound>.Continuation] = [:]
        var nextID: UInt64 = 1
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Double
    private let queueLimit: Int
    private let metrics: SignalingMetrics

    /// - Parameters:
    ///   - clock: monotonic seconds.
    ///   - queueLimit: messages waiting per connection before they are dropped.
    public init(limits: SignalingLimits = SignalingLimits(), queueLimit: Int = 256, clock: @escaping @Sendable () -> Double = SignalingService.monotonicSeconds) {
        state = Mutex(State(hub: SignalingHub(limits: limits)))
        self.clock = clock
        self.queueLimit = queueLimit
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

    /// Whether a viewer with this client id would be admitted now (used to refuse the
    /// WebSocket upgrade with a clear error rather than after it).
    public func hasRoom(channelARN: String, for peer: SignalingPeer) -> Bool {
        state.withLock { $0.hub.hasRoom(channelARN: channelARN, for: peer) }
    }

    /// Registers a connection; its outbound stream yields what to write to it.
    public func open(channelARN: String, messageTTL: Double, peer: SignalingPeer) throws(SignalingConnectRefusal) -> Session {
        let (stream, continuation) = AsyncStream<Outbound>.makeStream(bufferingPolicy: .bufferingOldest(queueLimit))
        let now = clock()
        let id: SignalingConnectionID = try state.withLock { (state) throws(SignalingConnectRefusal) -> SignalingConnectionID in
            let id = SignalingConnectionID(state.nextID)
            state.nextID += 1
            let outputs = try state.hub.connect(id, channelARN: channelARN, messageTTL: messageTTL, peer: peer, now: now)
            state.queues[id] = continuation
            perform(outputs, in: &state)
            return id
        }
        return Session(id: id, peer: peer, outbound: stream)
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
            state.queues.removeValue(forKey: id)?.finish()
            metrics.sync(state.hub)
        }
    }

    /// GO_AWAY and close for every connection of a deleted channel.
    public func closeChannel(_ channelARN: String) {
        state.withLock { state in
            perform(state.hub.closeChannel(channelARN, reason: "the channel was deleted"), in: &state)
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
                guard let queue = state.queues[id] else { continue }
                if case .dropped = queue.yield(.text(message.json())) {
                    state.hub.countUndeliverable()
                }
            case .close(let id, let reason):
                guard let queue = state.queues.removeValue(forKey: id) else { continue }
                queue.yield(.close(reason: reason))
                queue.finish()
            }
        }
        metrics.sync(state.hub)
    }
}

extension SignalingHub {
    /// Whether `connect` would admit this peer now.
    public func hasRoom(channelARN: String, for peer: SignalingPeer) -> Bool {
        guard case .viewer(let clientId) = peer, let channel = channels[channelARN] else { return true }
        return channel.viewers[clientId] != nil || channel.viewers.count < limits.maxViewers
    }
}
