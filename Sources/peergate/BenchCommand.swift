import ArgumentParser
import Foundation
import Logging
import PeerGateBench

/// `peergate bench …`: the measured figures of the README, each printed with the machine,
/// the date and the command.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark and print its figures.", subcommands: [Signaling.self])

    struct Signaling: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Signaling relay latency (send → delivery) and server memory per idle connection.",
            discussion: "Starts `peergate serve` as a child process and connects channels × (1 master + viewers) WebSocket peers to it.")

        @Option(help: "Total connections; channels = connections / (viewers + 1).") var connections = 1000
        @Option(help: "Viewers per channel.") var viewers = 10
        @Option(help: "Timed messages.") var messages = 5000
        @Option(help: "Timed messages per second.") var rate = 500

        func run() async throws {
            let limit = BenchReport.raiseFileLimit()
            guard limit > connections + 256 else {
                throw ValidationError("the open-file limit (\(limit)) is too low for \(connections) connections")
            }
            let channels = max(1, connections / (viewers + 1))
            let command = "peergate bench signaling --connections \(connections) --viewers \(viewers) --messages \(messages) --rate \(rate)"
            print(BenchReport.header(command: command))
            let benchmark = SignalingBenchmark(
                serverExecutable: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0],
                channels: channels, viewersPerChannel: viewers, messages: messages, messagesPerSecond: rate)
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let result = try await benchmark.run(logger: logger)
            print("connections: \(result.connections) (\(channels) channels × \(viewers + 1)), connected in \(String(format: "%.1f", result.connectSeconds)) s")
            print("server memory per idle connection: \(Int(result.bytesPerIdleConnection / 1024)) KiB (\(Int(result.bytesPerIdleConnection)) bytes)")
            print("relay latency (send → delivery, \(result.delivered)/\(messages) delivered): p50 \(String(format: "%.2f", result.latencyMilliseconds.p50)) ms, p99 \(String(format: "%.2f", result.latencyMilliseconds.p99)) ms, max \(String(format: "%.2f", result.latencyMilliseconds.max)) ms")
        }
    }
}
