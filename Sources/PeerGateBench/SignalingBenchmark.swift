import Foundation
import KVSAPI
import KVSClient
import Locking
import Logging
import SigV4
import Signaling

/// Signaling relay latency and memory per idle connection: `channels` × (1 master +
/// `viewersPerChannel` viewers) connected to a `peergate serve` child process, then
/// timestamped offers from sampled viewers to their masters.
public struct SignalingBenchmark: Sendable {
    public var serverExecutable: String
    public var channels: Int
    public var viewersPerChannel: Int
    /// Messages timed for latency.
    public var messages: Int
    /// Messages sent per second while timing (spread over the channels).
    public var messagesPerSecond: Int
    public var connectConcurrency: Int

    public init(serverExecutable: String, channels: Int, viewersPerChannel: Int = 10, messages: Int = 5000, messagesPerSecond: Int = 500, connectConcurrency: Int = 64) {
        self.serverExecutable = serverExecutable
        self.channels = channels
        self.viewersPerChannel = viewersPerChannel
        self.messages = messages
        self.messagesPerSecond = messagesPerSecond
        self.connectConcurrency = connectConcurrency
    }

    public struct Result: Sendable {
        public var connections: Int
        public var connectSeconds: Double
        public var bytesPerIdleConnection: Double
        public var latencyMilliseconds: (p50: Double, p99: Double, max: Double)
        public var delivered: Int
    }

    public func run(logger: Logger) async throws -> Result {
        let server = try await BenchServer.start(executable: serverExecutable)
        defer { server.stop() }
        let endpoint = KVSClient.Endpoint(url: server.url, region: "us-east-1", credentials: server.credentials)
        let client = try KVSClient(endpoint: endpoint)
        var arns: [String] = []
        for index in 0..<channels {
            arns.append(try await client.createSignalingChannel(.init(ChannelName: "bench-\(index)")).ChannelARN)
        }
        try await client.shutdown()
        try await Task.sleep(for: .seconds(1))
        let baseline = BenchReport.residentBytes(pid: server.pid) ?? 0

        let latencies = LatencyRecorder()
        var peers: [(channel: Int, client: SignalingClient, task: Task<Void, Never>)] = []
        let started = ContinuousClock.now
        var pending: [SignalingClient] = []
        for (index, arn) in arns.enumerated() {
            let roles: [SignalingPeer] = [.master] + (0..<viewersPerChannel).map { .viewer(clientId: "v\($0)") }
            for role in roles {
                let peer = SignalingClient(configuration: .init(endpoint: server.wssURL, channelARN: arn, role: role, credentials: server.credentials, region: "us-east-1"), logger: logger)
                if role == .master { latencies.watch(peer) }
                peers.append((index, peer, Task { await peer.run() }))
                pending.append(peer)
                if pending.count >= connectConcurrency {
                    try await Self.waitConnected(pending)
                    pending.removeAll()
                }
            }
        }
        try await Self.waitConnected(pending)
        let connectSeconds = (ContinuousClock.now - started).seconds
        try await Task.sleep(for: .seconds(3))
        let loaded = BenchReport.residentBytes(pid: server.pid) ?? 0

        // Timed relays: viewer v0..v(k) of channel i sends an offer carrying its send time.
        let interval = Duration.seconds(1) / messagesPerSecond
        let viewers = peers.filter { $0.client.configuration.role != .master }
        for sequence in 0..<messages {
            let viewer = viewers[sequence % viewers.count].client
            let stamp = LatencyRecorder.now()
            let payload = Data(#"{"type":"offer","sdp":"bench","t":\#(stamp)}"#.utf8).base64EncodedString()
            // Each viewer sends an offer first (its candidates would otherwise wait for one), then alternates.
            let round = sequence / viewers.count
            try? viewer.send(ClientMessage(action: round.isMultiple(of: 2) ? .sdpOffer : .iceCandidate, messagePayload: payload))
            try await Task.sleep(for: interval)
        }
        try await Task.sleep(for: .seconds(2))
        for peer in peers { peer.task.cancel() }
        let samples = latencies.samples.sorted()
        return Result(
            connections: peers.count, connectSeconds: connectSeconds,
            bytesPerIdleConnection: Double(loaded - baseline) / Double(peers.count),
            latencyMilliseconds: (BenchReport.quantile(samples, 0.5), BenchReport.quantile(samples, 0.99), samples.last ?? .nan),
            delivered: samples.count)
    }

    private static func waitConnected(_ clients: [SignalingClient]) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while clients.contains(where: { $0.connections == 0 }) {
            guard ContinuousClock.now < deadline else { throw BenchFailure(message: "connections did not open within 60 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Receive times of timestamped messages at the masters.
final class LatencyRecorder: Sendable {
    private let values = LockedState<[Double]>([])

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func watch(_ master: SignalingClient) {
        Task {
            for await event in master.events {
                guard case .message(let message) = event, let stamp = message.decodedPayload?["t"] as? UInt64 ?? (message.decodedPayload?["t"] as? NSNumber)?.uint64Value else { continue }
                let milliseconds = Double(Self.now() - stamp) / 1e6
                values.withLock { $0.append(milliseconds) }
            }
        }
    }

    var samples: [Double] { values.withLock { $0 } }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
