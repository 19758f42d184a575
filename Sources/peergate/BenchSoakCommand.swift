import ArgumentParser
import Foundation
import KVSClient
import PeerGateBench

extension BenchCommand {
    /// `peergate bench soak`: one `peergate serve` republishes a looped file into several
    /// channels (`publishers:`, always on) and records each (`recorders:`), while viewers on
    /// peergate's own stack watch every channel and each leaves and rejoins once a period (a
    /// minute by default). Each period, once its churn is over, the server's resident memory,
    /// open file descriptors and threads are sampled; after the warm-up they should stay flat.
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "soak", abstract: "Resident memory, open files and threads of a serving gateway, sampled each minute, under viewer churn and recording.")

        @Option(help: "Samples taken, one per period: the soak lasts samples × sample-seconds.") var samples = 30
        @Option(help: "Seconds per period: each viewer leaves and rejoins once, then the server is sampled.") var sampleSeconds = 60
        @Option(help: "Samples left out of the flatness figures (allocator and caches settling).") var warmup = 5
        @Option(help: "Channels, each republished and recorded.") var channels = 3
        @Option(help: "Viewers per channel (the recorder is one more).") var viewers = 10
        @Option(help: "Video bitrate of the looped source, bits per second.") var bitrate = 500_000
        @Option(help: "Log level of the soaked server (its log goes to standard error).") var serverLogLevel = "warning"

        func validate() throws {
            guard samples > warmup, warmup >= 0 else { throw ValidationError("--samples must exceed --warmup") }
            guard sampleSeconds >= 12 else { throw ValidationError("--sample-seconds must be at least 12") }
            guard (1...50).contains(channels), (1...100).contains(viewers) else { throw ValidationError("--channels 1…50 and --viewers 1…100") }
        }

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench soak --samples \(samples) --sample-seconds \(sampleSeconds) --warmup \(warmup) --channels \(channels) --viewers \(viewers) --bitrate \(bitrate)"))
            let workDirectory = NSTemporaryDirectory() + "peergate-bench-soak-\(UInt32.random(in: 1...UInt32.max))"
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: workDirectory) }
            let clip = try BenchClip.make(in: workDirectory, seconds: 20, bitrate: bitrate)
            let names = (0..<channels).map { "soak-\($0)" }
            var settings = ["signaling.maxViewers=\(viewers + 1)", "recording.segmentSeconds=60"]
            for (index, name) in names.enumerated() {
                settings += ["publishers.\(index).channel=\(name)", "publishers.\(index).source=\(clip)", "publishers.\(index).loop=true", "publishers.\(index).onDemand=false"]
                settings += ["recorders.\(index).channel=\(name)"]
            }
            let server = try await BenchServer.start(executable: BenchPaths.executable, extraArguments: settings.flatMap { ["--set", $0] } + ["--log-level", serverLogLevel])
            defer { server.stop() }
            let endpoint = KVSClient.Endpoint(url: server.url, region: "us-east-1", credentials: server.credentials)
            let start = ContinuousClock.now
            let period = Double(sampleSeconds)
            let load = SoakViewers(endpoint: endpoint, channels: names, viewersPerChannel: viewers, start: start, period: period)
            let sessions = Task { await load.run(until: start + .seconds(samples * sampleSeconds)) }
            defer { sessions.cancel() }
            BenchReport.line("sample  RSS MiB  open files  sockets  threads  CPU %  viewers receiving  sessions (with frames)  segments")
            var taken: [ProcessSample] = []
            var lastCPU = 0.0
            for index in 1...samples {
                // Churn happens in the first two thirds of each period; sample near its end.
                try await Task.sleep(until: start + .milliseconds(Int64((Double(index) - 1.0 / 12) * period * 1000)))
                guard let sample = ProcessSample.take(pid: server.pid) else { throw RuntimeFailure(message: "peergate serve exited during the soak") }
                taken.append(sample)
                let counts = await load.counts()
                BenchReport.line(String(
                    format: "%6d  %7.1f  %10d  %7d  %7d  %5.1f  %17d  %9d (%d)  %8d", index, Double(sample.residentBytes) / 1_048_576, sample.openFiles, sample.sockets, sample.threads,
                    (sample.cpuSeconds - lastCPU) / period * 100, counts.receiving, counts.sessions, counts.sessionsWithFrames, Self.segmentFiles(in: server.dataDir)))
                lastCPU = sample.cpuSeconds
            }
            let settled = Array(taken.dropFirst(max(warmup - 1, 0)))
            BenchReport.line("from sample \(max(warmup, 1)) to \(samples) (\(settled.count) samples), with \(channels) channels × \(viewers) viewers + a recorder each:")
            for (name, values) in [("RSS", settled.map { Double($0.residentBytes) }), ("open files", settled.map { Double($0.openFiles) }), ("threads", settled.map { Double($0.threads) })] {
                guard let spread = SampleSpread(values) else { continue }
                let scale = name == "RSS" ? 1_048_576.0 : 1
                BenchReport.line(String(
                    format: "  %@: %.1f…%.1f, spread %.1f %%, drift %+.1f %% — %@", name as NSString, spread.minimum / scale, spread.maximum / scale, spread.spread * 100, spread.drift * 100,
                    (spread.spread <= 0.05 ? "flat within 5 %" : "NOT flat within 5 %") as NSString))
            }
            let counts = await load.counts()
            BenchReport.line("viewer sessions: \(counts.sessions), with frames \(counts.sessionsWithFrames); joins that failed: \(counts.failedJoins)")
            for (why, count) in counts.frameless.sorted(by: { $0.key < $1.key }) { BenchReport.line("  without frames: \(count) × \(why)") }
        }

        /// Recorded segment files in the server's data directory.
        static func segmentFiles(in dataDir: String) -> Int {
            let files = FileManager.default.enumerator(atPath: dataDir + "/recordings")
            var count = 0
            while let path = files?.nextObject() as? String { if path.hasSuffix(".mp4") { count += 1 } }
            return count
        }
    }
}
