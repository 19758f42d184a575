import WebRTC

extension Republisher {
    /// What each viewer's connection reports (RFC 3550 sender counts, RFC 4585 NACKs, RTT
    /// from receiver reports), as the channel's metrics: packets, retransmissions and NACKs
    /// since the last sample, and each viewer's round-trip time.
    public func sampleViewerStats() async {
        let viewers = state.withLock { state in state.viewers.map { ($0.key, $0.value.viewer.connection) } }
        for (id, connection) in viewers {
            let streams = await connection.outboundStats()
            let totals = ViewerTotals(
                packets: streams.reduce(0) { $0 + $1.packetsSent }, nacks: streams.reduce(0) { $0 + $1.nackCount },
                retransmitted: streams.reduce(0) { $0 + $1.retransmittedPackets })
            let previous = state.withLock { state in
                defer { state.viewerTotals[id] = totals }
                return state.viewerTotals[id] ?? ViewerTotals()
            }
            metrics.viewerPackets.increment(by: max(totals.packets - previous.packets, 0))
            metrics.viewerNACKs.increment(by: max(totals.nacks - previous.nacks, 0))
            metrics.viewerRetransmissions.increment(by: max(totals.retransmitted - previous.retransmitted, 0))
            if let rtt = streams.compactMap(\.roundTripTime).first { metrics.viewerRoundTrip.recordNanoseconds(Int64(rtt / .nanoseconds(1))) }
        }
        // Viewers that left are forgotten.
        state.withLock { state in state.viewerTotals = state.viewerTotals.filter { state.viewers[$0.key] != nil } }
    }
}

/// A viewer's sender counts at the last sample.
struct ViewerTotals: Sendable {
    var packets = 0
    var nacks = 0
    var retransmitted = 0
}
