import ArgumentParser
import ChannelPeers
import Foundation
import KVSClient
import NetworkAddress
import PeerGateBench
import SDP
import WebRTC

extension BenchCommand {
    /// `peergate bench fanout`: one `peergate publish` child republishes a looped 1 Mbit/s
    /// H.264 + Opus file to many viewers — lightweight viewers on peergate's own stack in this
    /// process (a PeerConnection each, frames counted, not decoded) — and its CPU time gives
    /// SRTP packets sent per core and viewers per core at that rate, with the viewers' loss.
    /// The anchors, run first: the send ceiling of the same pattern with ready-made datagrams,
    /// then with SRTP on each (``FanoutSendCeiling``), and peergate's figure as a share of both.
    struct Fanout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fanout", abstract: "SRTP packets per second per core and viewers per core republishing one 1 Mbit/s source.")

        @Option(help: "Viewers of the one source.") var viewers = 100
        @Option(help: "Seconds measured once every viewer receives.") var seconds = 15
        @Option(help: "Video bitrate of the source, bits per second.") var bitrate = 1_000_000

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench fanout --viewers \(viewers) --seconds \(seconds) --bitrate \(bitrate)"))
            let workDirectory = NSTemporaryDirectory() + "peergate-bench-fanout-\(UInt32.random(in: 1...UInt32.max))"
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: workDirectory) }
            let clip = try BenchClip.make(in: workDirectory, seconds: 20, bitrate: bitrate)
            // The anchors: the same sending pattern with nothing but the sends, then with SRTP.
            var ceilings: [FanoutSendCeiling.Result] = []
            for encrypted in [false, true] {
                let ceiling = try await FanoutSendCeiling(viewers: viewers, seconds: Double(min(seconds, 10)), bitrate: bitrate, encrypted: encrypted).run()
                ceilings.append(ceiling)
                BenchReport.line(String(
                    format: "send ceiling, ready-made datagrams%@: %.0f packets per CPU-second (%d sent, %d received)", encrypted ? " + SRTP (AES-128-GCM)" : "",
                    ceiling.packetsPerCPUSecond, ceiling.packetsSent, ceiling.packetsReceived))
            }
            let server = try await BenchServer.start(
                executable: BenchPaths.executable, extraArguments: ["--create-channel", "fanout", "--set", "signaling.maxViewers=\(min(max(viewers, 10), 1000))"])
            defer { server.stop() }
            let publisher = Process()
            publisher.executableURL = URL(filePath: BenchPaths.executable)
            publisher.arguments = [
                "publish", "--channel", "fanout", "--source", clip, "--loop", "--endpoint", server.url, "--access-key-id", server.credentials.accessKeyId,
                "--secret-access-key", server.credentials.secretAccessKey, "--data-dir", server.dataDir,
            ]
            publisher.standardOutput = FileHandle.nullDevice
            publisher.standardError = FileHandle.nullDevice
            try publisher.run()
            defer {
                publisher.terminate()
                publisher.waitUntilExit()
            }
            BenchReport.line(try pinPublisher(publisher.processIdentifier, server: server.pid))
            try await Task.sleep(for: .seconds(2))
            let endpoint = KVSClient.Endpoint(url: server.url, region: "us-east-1", credentials: server.credentials)
            let load = FanoutViewers(endpoint: endpoint, count: viewers)
            let ramp = Duration.seconds(viewers / 4 + 30)
            let sessions = Task { await load.run(for: ramp + .seconds(seconds + 30)) }
            defer { sessions.cancel() }
            // Every viewer receiving, then the window.
            let rampStart = ContinuousClock.now
            while await load.receiving() < viewers, ContinuousClock.now - rampStart < ramp { try await Task.sleep(for: .milliseconds(500)) }
            try await Task.sleep(for: .seconds(2))
            let receiving = await load.receiving()
            let before = await load.totals()
            let cpuBefore = BenchReport.cpuSeconds(pid: publisher.processIdentifier) ?? 0
            let started = ContinuousClock.now
            try await Task.sleep(for: .seconds(seconds))
            let cpu = (BenchReport.cpuSeconds(pid: publisher.processIdentifier) ?? 0) - cpuBefore
            let window = (ContinuousClock.now - started) / .seconds(1)
            let after = await load.totals()
            let packets = Double(after.packets - before.packets)
            let lost = after.lost - before.lost
            BenchReport.line(String(format: "viewers receiving: %d of %d; packets delivered %.0f/s (%.0f per viewer), lost %d", receiving, viewers, packets / window, packets / window / Double(max(receiving, 1)), lost))
            BenchReport.line(String(format: "publisher CPU %.2f s over %.1f s: %.0f SRTP packets per CPU-second (goal ≥ 300,000 per core; pion ≈ 62,000 per vCPU)", cpu, window, packets / cpu))
            BenchReport.line(String(format: "viewers per core at %.1f Mbit/s: %.0f (%.4f CPU-s per viewer-second)", Double(bitrate) / 1e6, Double(receiving) * window / cpu, cpu / (window * Double(max(receiving, 1)))))
            BenchReport.line(String(
                format: "peergate / send ceiling: %.2f; / send ceiling with SRTP: %.2f", packets / cpu / ceilings[0].packetsPerCPUSecond,
                packets / cpu / ceilings[1].packetsPerCPUSecond))
        }
    }
}

extension BenchCommand.Fanout {
    /// With two CPUs or more, the publisher gets the last one to itself and this process
    /// (the viewers) and the signaling server share the others: the publisher's CPU time per
    /// packet is then its own work, not a share of how the scheduler mixed it with the
    /// viewers (unpinned runs of one build varied by ±15 %).
    func pinPublisher(_ publisher: Int32, server: Int32) throws -> String {
        let cpus = CPUPinning.availableCPUs
        guard cpus >= 2 else { return "publisher not pinned: one CPU" }
        try CPUPinning.pin(pid: publisher, to: (cpus - 1)...(cpus - 1))
        try CPUPinning.pin(pid: getpid(), to: 0...(cpus - 2))
        try CPUPinning.pin(pid: server, to: 0...(cpus - 2))
        return "publisher pinned to CPU \(cpus - 1); viewers and signaling server on CPU 0\(cpus > 2 ? "-\(cpus - 2)" : "")"
    }
}

/// Many lightweight viewers of one channel in this process: each a ``ChannelViewer`` whose
/// frames are counted by its PeerConnection's receive pipeline, not decoded.
actor FanoutViewers {
    let endpoint: KVSClient.Endpoint
    let count: Int
    private var connections: [String: PeerConnection] = [:]

    init(endpoint: KVSClient.Endpoint, count: Int) {
        self.endpoint = endpoint
        self.count = count
    }

    /// Joins every viewer, four a second (a master may answer 5 offers a second, KVS's
    /// signaling limit), and keeps them until `duration` passes or cancellation.
    func run(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask { await self.view(index, until: deadline) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private func view(_ index: Int, until deadline: ContinuousClock.Instant) async {
        let id = "fanout-\(index)"
        let connector = ChannelConnector(endpoint: endpoint, channel: "fanout", role: .viewer(clientId: id), bind: IPAddress("127.0.0.1")!)
        guard let (signaling, configuration) = try? await connector.connect() else { return }
        let handler = CountingViewerHandler(joined: { await self.joined(id, $0) })
        Task { _ = try? await ChannelViewer(transportConfiguration: configuration, mediaTimeout: .seconds(30)).run(signaling: signaling, until: deadline, handler: handler) }
        // Joined: let the next one start (the session runs on).
        for _ in 0..<100 where connections[id] == nil { try? await Task.sleep(for: .milliseconds(50)) }
    }

    func joined(_ id: String, _ connection: PeerConnection) { connections[id] = connection }

    /// Viewers that have received frames.
    func receiving() -> Int { connections.values.filter { $0.activity.framesReceived > 0 }.count }

    /// Packets received and lost over every viewer.
    func totals() async -> (packets: Int, lost: Int64) {
        var packets = 0
        var lost: Int64 = 0
        for connection in connections.values {
            for stream in await connection.inboundStats() {
                packets += stream.packetsReceived
                lost += stream.packetsLost
            }
        }
        return (packets, lost)
    }
}
