import ArgumentParser
import Foundation
import PeerGateBench

extension BenchCommand {
    /// `peergate bench republish`: GStreamer's RTSP server republished by peergate and by
    /// Janus's streaming plugin (keyframe buffer off, then on), one after the other in one
    /// network namespace (127.0.0.1 on a bridge: Janus ignores loopback interfaces), with the
    /// same aiortc viewers (Tests/Peers/republish_bench.py): time from a new viewer's request
    /// to its first decoded frame (p50/p95), with a camera that honours keyframe requests and
    /// one that ignores them; the gateway process's CPU seconds per viewer-second, and per
    /// second with the source open and no viewer (what the source alone costs).
    struct Republish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "republish",
            abstract: "Time to first frame and CPU per viewer-second republishing an RTSP camera, side by side with Janus.")

        @Option(help: "Viewers that join one at a time (first-frame times).") var joins = 20
        @Option(help: "Viewers watching together while CPU is measured.") var viewers = 8
        @Option(help: "Seconds they watch.") var seconds = 20
        @Flag(help: "peergate only (no Janus).") var withoutJanus = false
        @Option(help: "Python with aiortc (make venv).") var python = ".venv-test/bin/python"
        @Option(help: "Directory of the test peers' scripts.") var peers = "Tests/Peers"

        struct Figures {
            var firstFrames: [Double]
            var failedJoins: Int
            var cpuPerViewerSecond: Double
            /// CPU seconds per second with the source open and no viewer.
            var idleCPUPerSecond: Double
            var decoded: [Int]
        }

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench republish --joins \(joins) --viewers \(viewers) --seconds \(seconds)\(withoutJanus ? " --without-janus" : "")"))
            if !withoutJanus, !FileManager.default.isExecutableFile(atPath: "/usr/bin/janus") { throw RuntimeFailure(message: "needs Janus: apt-get install janus (or --without-janus)") }
            let modes = withoutJanus ? ["peergate"] : ["peergate", "janus", "janus-bufferkf"]
            for camera in ["honours keyframe requests", "ignores keyframe requests"] {
                BenchReport.line("camera (GStreamer RTSP, H.264 320x240 30 fps, keyframe every 2 s) that \(camera):")
                var results: [String: Figures] = [:]
                for mode in modes {
                    let figures = try runScript(mode: mode, ignorePLI: camera.hasPrefix("ignores"))
                    results[mode] = figures
                    let sorted = figures.firstFrames.sorted()
                    BenchReport.line(String(
                        format: "  %-15@ first frame p50 %.0f ms, p95 %.0f ms (%d joins, %d without a frame); CPU %.4f s per viewer-second, %.4f s per second with no viewer (%d viewers decoded %@ frames)",
                        mode as NSString, BenchReport.quantile(sorted, 0.5), BenchReport.quantile(sorted, 0.95), sorted.count, figures.failedJoins,
                        figures.cpuPerViewerSecond, figures.idleCPUPerSecond, figures.decoded.count, figures.decoded.map(String.init).joined(separator: "/") as NSString))
                }
                guard let ours = results["peergate"], results.count > 1 else { continue }
                for (mode, theirs) in results where mode != "peergate" {
                    let p50 = BenchReport.quantile(ours.firstFrames.sorted(), 0.5) / BenchReport.quantile(theirs.firstFrames.sorted(), 0.5)
                    BenchReport.line(String(format: "  peergate / %@: first frame p50 %.2f, CPU per viewer-second %.2f", mode as NSString, p50, ours.cpuPerViewerSecond / theirs.cpuPerViewerSecond))
                }
            }
        }

        private func runScript(mode: String, ignorePLI: Bool) throws -> Figures {
            let setup = "ip link set lo up && ip link add pgbr0 type bridge && ip addr add 127.0.0.1/32 dev pgbr0 && ip link set pgbr0 up"
            let process = Process()
            process.executableURL = URL(filePath: "/usr/bin/unshare")
            let peersDirectory = BenchPaths.absolute(peers)
            process.arguments = [
                "-n", "sh", "-c", "\(setup) && exec \"$0\" \"$@\"", BenchPaths.absolute(python), peersDirectory + "/republish_bench.py", mode, BenchPaths.executable, "\(joins)",
                "\(viewers)", "\(seconds)",
            ] + (ignorePLI ? ["ignore-pli"] : [])
            process.currentDirectoryURL = URL(filePath: peersDirectory)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard let line = text.split(separator: "\n").last(where: { $0.contains("first_frame_ms") }),
                let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let firsts = result["first_frame_ms"] as? [Any], let cpu = (result["cpu"] as? NSNumber)?.doubleValue,
                let window = (result["window"] as? NSNumber)?.doubleValue, let count = (result["viewers"] as? NSNumber)?.doubleValue,
                let idle = (result["idle_cpu_per_s"] as? NSNumber)?.doubleValue
            else { throw RuntimeFailure(message: "the \(mode) run gave no figure: \(text.suffix(400))") }
            let times = firsts.compactMap { ($0 as? NSNumber)?.doubleValue }
            return Figures(firstFrames: times, failedJoins: firsts.count - times.count, cpuPerViewerSecond: cpu / (window * count), idleCPUPerSecond: idle, decoded: result["decoded"] as? [Int] ?? [])
        }
    }
}

/// Paths the benchmarks run things from.
enum BenchPaths {
    /// This executable (benchmarks run `peergate serve` and `peergate publish` from it).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
    }

    /// A path from the working directory made absolute (scripts run in the peers' directory).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
