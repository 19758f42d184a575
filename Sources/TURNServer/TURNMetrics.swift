import Locking
import Metrics
import TURN

/// swift-metrics of the TURN server, updated from the core's counters once a second.
final class TURNMetrics: Sendable {
    private let allocationsCurrent = Gauge(label: "peergate_turn_allocations")
    private let permissionsCurrent = Gauge(label: "peergate_turn_permissions")
    private let allocationsTotal = Counter(label: "peergate_turn_allocations_total")
    private let bindingRequests = Counter(label: "peergate_stun_binding_requests_total")
    private let authFailures = Counter(label: "peergate_turn_auth_failures_total")
    private let deniedPeers = Counter(label: "peergate_turn_denied_peers_total")
    private let quotaRefusals = Counter(label: "peergate_turn_quota_refusals_total")
    private let packetsToPeers = Counter(label: "peergate_turn_relayed_packets_total", dimensions: [("direction", "to_peer")])
    private let packetsToClients = Counter(label: "peergate_turn_relayed_packets_total", dimensions: [("direction", "to_client")])
    private let bytesToPeers = Counter(label: "peergate_turn_relayed_bytes_total", dimensions: [("direction", "to_peer")])
    private let bytesToClients = Counter(label: "peergate_turn_relayed_bytes_total", dimensions: [("direction", "to_client")])
    private let dropped: [TURNDropReason: Counter] = Dictionary(
        uniqueKeysWithValues: TURNDropReason.allCases.map { ($0, Counter(label: "peergate_turn_dropped_total", dimensions: [("reason", $0.rawValue)])) })
    private let reported = LockedState(TURNCounters())

    init() {
        allocationsCurrent.record(0)
        permissionsCurrent.record(0)
    }

    func update(_ core: TURNServerCore) {
        let now = core.counters
        allocationsCurrent.record(now.allocationsCurrent)
        permissionsCurrent.record(core.permissionCount)
        reported.withLock { last in
            func add(_ counter: Counter, _ value: Int, _ previous: Int) {
                if value > previous { counter.increment(by: value - previous) }
            }
            add(allocationsTotal, now.allocationsCreated, last.allocationsCreated)
            add(bindingRequests, now.bindingRequests, last.bindingRequests)
            add(authFailures, now.authFailures, last.authFailures)
            add(deniedPeers, now.deniedPeers, last.deniedPeers)
            add(quotaRefusals, now.quotaRefusals, last.quotaRefusals)
            add(packetsToPeers, now.packetsToPeers, last.packetsToPeers)
            add(packetsToClients, now.packetsToClients, last.packetsToClients)
            add(bytesToPeers, now.bytesToPeers, last.bytesToPeers)
            add(bytesToClients, now.bytesToClients, last.bytesToClients)
            for (reason, count) in now.dropped { if let counter = dropped[reason] { add(counter, count, last.dropped[reason, default: 0]) } }
            last = now
        }
    }
}
