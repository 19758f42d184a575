import ArgumentParser
import Foundation
import PeerGateBench
import Recording

extension BenchCommand {
    /// `peergate bench index`: listing one day of a channel out of a generated index.
    struct Index: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index", abstract: "Time listing one day of one channel's segments out of a generated recordings index (goal ≤ 20 ms at 1,000,000 segments).")

        @Option(help: "Segments in the generated index (one minute each).") var segments = 1_000_000
        @Option(help: "Channels they are spread over.") var channels = 10
        @Option(help: "Timed day listings.") var queries = 200

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench index --segments \(segments) --channels \(channels) --queries \(queries)"))
            let directory = NSTemporaryDirectory() + "peergate-bench-index-\(UInt32.random(in: 1...UInt32.max))"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result = try RecordingIndexBenchmark.run(directory: directory, segments: segments, channels: channels, queries: queries)
            BenchReport.line(String(format: "index: %d segments in %d channels generated in %.1f s, database %.0f MiB", result.segments, channels, result.generateSeconds, Double(result.databaseBytes) / 1_048_576))
            BenchReport.line(String(format: "one day of one channel (%d segments) listed: p50 %.2f ms, p99 %.2f ms over %d queries (goal ≤ 20 ms)",
                result.segmentsPerDay, result.p50Milliseconds, result.p99Milliseconds, result.queries))
        }
    }
}
