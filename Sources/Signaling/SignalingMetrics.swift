import Locking
import Metrics

/// swift-metrics of the signaling service: open connections, messages relayed, held,
/// expired and dropped by reason, refused connections.
final class SignalingMetrics: Sendable {
    private let connections = Gauge(label: "peergate_signaling_connections")
    private let relayed = Counter(label: "peergate_signaling_messages_relayed_total")
    private let held = Counter(label: "peergate_signaling_messages_held_total")
    private let expired = Counter(label: "peergate_signaling_messages_expired_total")
    private let refused = Counter(label: "peergate_signaling_connections_refused_total")
    private let dropped: [SignalingDropReason: Counter] = Dictionary(
        uniqueKeysWithValues: SignalingDropReason.allCases.map {
            ($0, Counter(label: "peergate_signaling_messages_dropped_total", dimensions: [("reason", $0.rawValue)]))
        })
    private let reported = LockedState(SignalingCounters())
    private let reportedConnections = LockedState(0)

    init() {
        connections.record(0)
    }

    /// Brings the metrics up to the hub's counters (called under the service's lock).
    func sync(_ hub: SignalingHub) {
        let now = hub.counters
        reported.withLock { last in
            guard last != now else { return }
            if now.relayed > last.relayed { relayed.increment(by: now.relayed - last.relayed) }
            if now.held > last.held { held.increment(by: now.held - last.held) }
            if now.expired > last.expired { expired.increment(by: now.expired - last.expired) }
            if now.refusedConnections > last.refusedConnections { refused.increment(by: now.refusedConnections - last.refusedConnections) }
            for (reason, count) in now.dropped where count > last.dropped[reason, default: 0] {
                dropped[reason]?.increment(by: count - last.dropped[reason, default: 0])
            }
            last = now
        }
        reportedConnections.withLock { last in
            guard last != hub.connectionCount else { return }
            last = hub.connectionCount
            connections.record(hub.connectionCount)
        }
    }
}
