import ArgumentParser
import ChannelPeers
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KVSClient
import Logging
import NetworkAddress
import PeerGateBench
import WebRTC

extension BenchCommand {
    /// `peergate bench ingest`: WebRTC sessions recorded by one `peergate serve` (a child
    /// process with a recorder per channel, fsync per fragment), fed by this process as the
    /// channels' masters (peergate's own stack sending a pre-encoded H.264 + Opus clip).
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Recorder CPU per WebRTC session recorded (H.264 + Opus, fMP4 with fsync per fragment) and the sessions per core it implies.")

        @Option(help: "Sessions (channels) recorded at once.") var sessions = 20
        @Option(help: "Seconds measured once every session records.") var seconds = 20
        @Option(help: "Video bitrate of the clip, bits per second.") var bitrate = 2_000_000
        @Flag(help: "Side by side with Janus (VideoRoom, record: true): aiortc publishers feed peergate's recorders, then Janus, in this run.")
        var janus = false
        @Option(help: "Python with aiortc (make venv) for --janus.") var python = ".venv-test/bin/python"
        @Option(help: "Directory of the test peers' scripts for --janus.") var peers = "Tests/Peers"

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench ingest --sessions \(sessions) --seconds \(seconds) --bitrate \(bitrate)\(janus ? " --janus" : "")"))
            let workDirectory = NSTemporaryDirectory() + "peergate-bench-ingest-\(UInt32.random(in: 1...UInt32.max))"
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: workDirectory) }
            if janus { return try await runSideBySide(in: workDirectory) }
            let clip = try await makeClip(in: workDirectory)
            let source = try JoinMasterSource(path: clip, fps: 30)
            let channels = (0..<sessions).map { "ingest-\($0)" }
            let server = try await startRecordingServer(channels: channels)
            defer { server.stop() }
            let endpoint = KVSClient.Endpoint(url: server.url, region: "us-east-1", credentials: server.credentials)
            let total = Duration.seconds(seconds + 30)
            let masters = Task {
                await withTaskGroup(of: String?.self) { group in
                    for channel in channels {
                        group.addTask {
                            let connector = ChannelConnector(endpoint: endpoint, channel: channel, role: .master, bind: IPAddress("127.0.0.1")!)
                            guard let (signaling, configuration) = try? await connector.connect() else { return nil }
                            return try? await JoinMasterSession(source: source, master: ChannelMaster(transportConfiguration: configuration)).run(signaling: signaling, duration: total)
                        }
                    }
                    var summaries: [String] = []
                    for await summary in group { if let summary { summaries.append(summary) } }
                    return summaries
                }
            }
            let ownBefore = BenchReport.cpuSeconds(pid: ProcessInfo.processInfo.processIdentifier) ?? 0
            _ = try await measureRecorder(server)
            let own = (BenchReport.cpuSeconds(pid: ProcessInfo.processInfo.processIdentifier) ?? 0) - ownBefore
            masters.cancel()
            BenchReport.line(String(format: "load generator (masters, same machine): %.2f CPU-s", own))
            BenchReport.line("side by side with Janus: peergate bench ingest --janus (aiortc publishers, Janus VideoRoom recording)")
        }

        /// Waits until every channel records, then measures the server over `seconds` and prints it.
        func measureRecorder(_ server: BenchServer) async throws -> (sessions: Int, perSessionSecond: Double) {
            let started = ContinuousClock.now
            while ContinuousClock.now - started < .seconds(60) {
                try await Task.sleep(for: .milliseconds(500))
                if try await recordedChannels(server.url) >= sessions { break }
            }
            try await Task.sleep(for: .seconds(5))  // past each session's start (frames before its first keyframe)
            let recording = try await recordedChannels(server.url)
            let framesBefore = try await metric(server.url, "peergate_recording_frames_total")
            let droppedBefore = try await metric(server.url, "peergate_recording_dropped_frames_total")
            let cpuBefore = BenchReport.cpuSeconds(pid: server.pid) ?? 0
            try await Task.sleep(for: .seconds(seconds))
            let cpu = (BenchReport.cpuSeconds(pid: server.pid) ?? 0) - cpuBefore
            let frames = try await metric(server.url, "peergate_recording_frames_total") - framesBefore
            let dropped = try await metric(server.url, "peergate_recording_dropped_frames_total") - droppedBefore
            let perSessionSecond = cpu / Double(max(recording, 1) * seconds)
            let expectedFrames = Double(recording * seconds) * (30 + 50)  // 30 video + 50 Opus frames a second per session
            BenchReport.line("sessions recording: \(recording) of \(sessions) (H.264 \(bitrate / 1000) kbit/s + Opus, fMP4, fsync per fragment)")
            BenchReport.line(String(format: "recorder CPU: %.2f s over %d s = %.4f CPU-s per session-second → %.0f sessions per core", cpu, seconds, perSessionSecond, perSessionSecond > 0 ? 1 / perSessionSecond : 0))
            BenchReport.line(String(format: "frames recorded in the window: %.0f of about %.0f expected; dropped by the recorders in the window: %.0f", frames, expectedFrames, dropped))
            return (recording, perSessionSecond)
        }

        /// A `peergate serve` child with a recorder per channel (10 s segments, fsync per fragment).
        func startRecordingServer(channels: [String]) async throws -> BenchServer {
            try await BenchServer.start(
                executable: BenchPaths.executable,
                extraArguments: channels.flatMap { ["--create-channel", $0] } + channels.enumerated().flatMap { ["--set", "recorders.\($0.offset).channel=\($0.element)"] }
                    + ["--set", "recording.segmentSeconds=10", "--set", "recording.minFreeDiskMB=0"])
        }

        func makeClip(in directory: String, transportStream: Bool = false, seconds: Int = 10) async throws -> String {
            try BenchClip.make(in: directory, transportStream: transportStream, seconds: seconds, bitrate: bitrate)
        }

        func metricsText(_ url: String) async throws -> String {
            let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/metrics")!)
            return String(decoding: data, as: UTF8.self)
        }

        /// Sum of a counter over its labels.
        func metric(_ url: String, _ name: String) async throws -> Double {
            try await metricsText(url).split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }

        /// Channels whose recorder has written frames.
        func recordedChannels(_ url: String) async throws -> Int {
            try await metricsText(url).split(separator: "\n").filter { $0.hasPrefix("peergate_recording_frames_total{") }
                .filter { ($0.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0 }.count
        }
    }
}
