import ArgumentParser
import Foundation
import Gateway
import Logging
import PeerGateBench

/// `peergate bench …`: the measured figures of the README, each printed with the machine,
/// the date and the command.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark and print its figures.", subcommands: [Signaling.self, TURN.self, WebRTC.self, Media.self, Index.self, Recordings.self, Ingest.self, Republish.self, Fanout.self, Soak.self])

    struct Signaling: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Signaling relay latency (send → delivery) and server memory per idle connection.",
            discussion: "Starts `peergate serve` as a child process and connects channels × (1 master + viewers) WebSocket peers to it.")

        @Option(help: "Total connections; channels = connections / (viewers + 1).") var connections = 1000
        @Option(help: "Viewers per channel.") var viewers = 10
        @Option(help: "Timed messages.") var messages = 5000
        @Option(help: "Timed messages per second.") var rate = 500

        func run() async throws {
            let limit = ProcessLimits.raiseOpenFileLimit()
            guard limit > connections + 256 else {
                throw ValidationError("the open-file limit (\(limit)) is too low for \(connections) connections")
            }
            let channels = max(1, connections / (viewers + 1))
            let command = "peergate bench signaling --connections \(connections) --viewers \(viewers) --messages \(messages) --rate \(rate)"
            BenchReport.line(BenchReport.header(command: command))
            let benchmark = SignalingBenchmark(
                serverExecutable: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0],
                channels: channels, viewersPerChannel: viewers, messages: messages, messagesPerSecond: rate)
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let result = try await benchmark.run(logger: logger)
            BenchReport.line("connections: \(result.connections) (\(channels) channels × \(viewers + 1)), connected in \(String(format: "%.1f", result.connectSeconds)) s")
            BenchReport.line("server memory per idle connection: \(Int(result.bytesPerIdleConnection / 1024)) KiB (\(Int(result.bytesPerIdleConnection)) bytes)")
            BenchReport.line("relay latency (send → delivery, \(result.delivered)/\(messages) delivered): p50 \(String(format: "%.2f", result.latencyMilliseconds.p50)) ms, p99 \(String(format: "%.2f", result.latencyMilliseconds.p99)) ms, max \(String(format: "%.2f", result.latencyMilliseconds.max)) ms")
        }
    }

    struct TURN: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Relayed messages per second at zero loss and STUN Binding responses per second, side by side with coturn.",
            discussion: "Starts `peergate serve` and coturn's `turnserver` on loopback and drives both with the same turnutils_uclient load and the same STUN load generator.")

        @Option(help: "Comma-separated client counts of the relay ladder.") var clients = "20,40,80,160"
        @Option(help: "Messages each client sends.") var messages = 4000
        @Option(help: "Message size in bytes.") var bytes = 170
        @Option(help: "Seconds of STUN Binding load per server and round.") var stunSeconds = 5.0
        @Option(help: "Interleaved STUN rounds; each server's figure is its median.") var stunRounds = 3
        @Option(help: "Sockets of the STUN Binding load.") var stunSockets = 8
        @Option(help: "Requests each STUN socket keeps in flight.") var stunWindow = 64
        @Option(help: "Run each server in a CPU budget of this many CPUs (a cgroup quota; needs root), so the server runs out before the load generator does.")
        var serverCpus: Double?

        func run() async throws {
            let ladder = clients.split(separator: ",").compactMap { Int($0) }
            BenchReport.line(BenchReport.header(command: "peergate bench turn --clients \(clients) --messages \(messages) --bytes \(bytes) --stun-seconds \(stunSeconds) --stun-rounds \(stunRounds) --stun-sockets \(stunSockets) --stun-window \(stunWindow)" + (serverCpus.map { " --server-cpus \($0)" } ?? "")))
            var benchmark = TURNBenchmark(
                serverExecutable: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0],
                clientLadder: ladder, messagesPerClient: messages, messageBytes: bytes, stunSeconds: stunSeconds)
            benchmark.stunRounds = stunRounds
            benchmark.stunSockets = stunSockets
            benchmark.stunWindow = stunWindow
            benchmark.serverCPUs = serverCpus
            let result = try await benchmark.run { BenchReport.line($0) }
            let ours = TURNBenchmark.Result.best(result.peergateRelay)
            let theirs = TURNBenchmark.Result.best(result.coturnRelay)
            BenchReport.line("relayed messages/s at 0 loss: peergate \(Int(ours)), coturn \(Int(theirs)), " + Self.ratio(ours, theirs))
            let oursPerCPU = TURNBenchmark.Result.efficiency(result.peergateRelay)
            let theirsPerCPU = TURNBenchmark.Result.efficiency(result.coturnRelay)
            BenchReport.line("relayed messages per server CPU-second (runs without loss): peergate \(Int(oursPerCPU)), coturn \(Int(theirsPerCPU)), " + Self.ratio(oursPerCPU, theirsPerCPU))
            BenchReport.line("STUN binding responses/s: peergate \(Int(result.peergateSTUN)), coturn \(Int(result.coturnSTUN)), " + Self.ratio(result.peergateSTUN, result.coturnSTUN, none: "answered nothing"))
        }

        /// "ratio 1.50", or which server has no figure and why (`none`).
        static func ratio(_ ours: Double, _ theirs: Double, none: String = "lost messages in every run (start the ladder lower)") -> String {
            switch (ours > 0, theirs > 0) {
            case (true, true): "ratio " + String(format: "%.2f", ours / theirs)
            case (false, true): "no ratio: peergate " + none
            case (true, false): "no ratio: coturn " + none
            case (false, false): "no ratio: both " + none
            }
        }
    }
}
