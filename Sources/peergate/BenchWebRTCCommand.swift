import ArgumentParser
import Foundation
import PeerGateBench
import SRTP

extension BenchCommand {
    /// `peergate bench webrtc`: offer → DTLS connected and SRTP throughput.
    struct WebRTC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webrtc",
            abstract: "Offer → DTLS connected on loopback (peergate, aiortc side by side) and SRTP packets/s per core next to bare libsrtp.",
            discussion: "The aiortc figures come from Tests/Peers/webrtc_connect_timing.py run with --python (the test peers' venv that `make test` creates).")

        @Option(help: "Connections timed per pairing.") var runs = 20
        @Option(help: "SRTP packets protected and unprotected per profile and implementation.") var packets = 200_000
        @Option(help: "RTP payload bytes of the SRTP packets.") var payload = 1200
        @Option(help: "Python interpreter with aiortc; empty skips the aiortc pairings.") var python = ".venv-test/bin/python"
        @Option(help: "The aiortc timing script.") var script = "Tests/Peers/webrtc_connect_timing.py"

        func run() async throws {
            BenchReport.line(BenchReport.header(command: "peergate bench webrtc --runs \(runs) --packets \(packets) --payload \(payload) --python \(python)"))
            let own = try await WebRTCConnectBenchmark(runs: runs).run()
            var rows = [("peergate ↔ peergate", own)]
            if !python.isEmpty {
                let (pairs, mixed) = try aiortcTimings()
                rows += [("aiortc → peergate", mixed), ("aiortc ↔ aiortc (anchor)", pairs)]
            }
            for (name, samples) in rows {
                let sorted = samples.sorted()
                BenchReport.line(String(format: "offer → connected, %@: median %.1f ms, p90 %.1f ms (%d runs)", name, BenchReport.quantile(sorted, 0.5), BenchReport.quantile(sorted, 0.9), sorted.count))
            }
            if rows.count == 3 {
                let anchor = BenchReport.quantile(rows[2].1.sorted(), 0.5)
                BenchReport.line(String(format: "ratio of medians to aiortc ↔ aiortc: peergate ↔ peergate %.2f×, aiortc → peergate %.2f× (lower is faster)", BenchReport.quantile(own.sorted(), 0.5) / anchor, BenchReport.quantile(rows[1].1.sorted(), 0.5) / anchor))
            }
            let srtp = SRTPBenchmark(packets: packets, payloadBytes: payload)
            for profile in SRTPProfile.allCases {
                let result = try srtp.run(profile)
                BenchReport.line(String(format: "SRTP %@, %d-byte payload, protect + unprotect: SRTPSession %.0f packets/s, bare libsrtp %.0f packets/s, ratio %.2f×", profile.rawValue, payload, result.wrapperPacketsPerSecond, result.barePacketsPerSecond, result.wrapperPacketsPerSecond / result.barePacketsPerSecond))
            }
        }

        /// Runs the aiortc timing script against this executable's `webrtc-probe`.
        private func aiortcTimings() throws -> (pairs: [Double], mixed: [Double]) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            let executable = CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
            process.arguments = [script, String(runs), executable]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: [Double]],
                let pairs = object["aiortc_aiortc_ms"], let mixed = object["aiortc_peergate_ms"]
            else { throw RuntimeFailure(message: "\(script) failed (status \(process.terminationStatus))") }
            return (pairs, mixed)
        }
    }
}
