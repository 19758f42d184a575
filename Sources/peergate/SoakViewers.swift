import ChannelPeers
import Foundation
import KVSClient
import NetworkAddress
import SDP
import WebRTC

/// The soak's viewers: `viewersPerChannel` on each channel, each leaving and rejoining once a
/// period at its own moment in the first two thirds of it (seconds 5–40 of a minute), so that
/// near the period's end (second 55) every viewer is back and receiving.
actor SoakViewers {
    struct Counts: Sendable {
        var receiving = 0
        var sessions = 0
        var sessionsWithFrames = 0
        var failedJoins = 0
        /// Why sessions without frames ended, and how many ended so.
        var frameless: [String: Int] = [:]
    }

    let endpoint: KVSClient.Endpoint
    let channels: [String]
    let viewersPerChannel: Int
    let start: ContinuousClock.Instant
    /// Seconds per churn round.
    let period: Double
    private var live: [String: PeerConnection] = [:]
    private var tally = Counts()
    /// Frames of each viewer's last session (told when it ends).
    private var lastFrames: [String: Int] = [:]

    init(endpoint: KVSClient.Endpoint, channels: [String], viewersPerChannel: Int, start: ContinuousClock.Instant, period: Double = 60) {
        self.endpoint = endpoint
        self.channels = channels
        self.viewersPerChannel = viewersPerChannel
        self.start = start
        self.period = period
    }

    func run(until end: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            for channel in channels {
                for index in 0..<viewersPerChannel {
                    let leaveSecond = Double.random(in: period / 12..<period * 2 / 3)
                    group.addTask { await self.watch(channel: channel, id: "\(channel)-viewer-\(index)", leaveSecond: leaveSecond, until: end) }
                }
            }
        }
    }

    /// One viewer's sessions back to back, each ending at `leaveSecond` of a period.
    private func watch(channel: String, id: String, leaveSecond: Double, until end: ContinuousClock.Instant) async {
        while ContinuousClock.now < end, !Task.isCancelled {
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            var leave = (elapsed / period).rounded(.down) * period + leaveSecond
            if leave < elapsed + period / 12 { leave += period }
            let deadline = min(end, start + .milliseconds(Int64(leave * 1000)))
            let connector = ChannelConnector(endpoint: endpoint, channel: channel, role: .viewer(clientId: id), bind: IPAddress("127.0.0.1")!)
            guard let (signaling, configuration) = try? await connector.connect() else {
                tally.failedJoins += 1
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let handler = CountingViewerHandler(joined: { await self.joined(id, $0) }, left: { await self.left(id, framesReceived: $0) })
            let viewer = ChannelViewer(transportConfiguration: configuration, mediaTimeout: .seconds(20))
            let started = ContinuousClock.now
            guard let reason = try? await viewer.run(signaling: signaling, until: deadline, handler: handler) else {
                tally.failedJoins += 1
                continue
            }
            if lastFrames[id] == 0 {
                let seconds = Int((ContinuousClock.now - started) / .seconds(1))
                tally.frameless["\(reason) after \(seconds) s at second \(Int((started - start) / .seconds(1)))", default: 0] += 1
            }
        }
    }

    func joined(_ id: String, _ connection: PeerConnection) { live[id] = connection }

    func left(_ id: String, framesReceived: Int) {
        live[id] = nil
        lastFrames[id] = framesReceived
        tally.sessions += 1
        if framesReceived > 0 { tally.sessionsWithFrames += 1 }
    }

    /// Viewers receiving now (frames since they joined), and the sessions so far.
    func counts() -> Counts {
        var counts = tally
        counts.receiving = live.values.filter { $0.activity.framesReceived > 0 }.count
        return counts
    }
}
