import PeerGateTestSupport
import Testing

/// `peergate bench soak` on a short run (three 12-second periods, one channel, two viewers):
/// every period's sample is taken with every viewer back and receiving, each viewer left
/// and rejoined once a period, the channel was recorded, and the flatness lines are printed.
@Suite struct BenchSoakCommandTests {
    @Test func shortSoakSamplesTheServerWithEveryViewerBack() async throws {
        let result = try await PeergateProcess.run(
            ["bench", "soak", "--samples", "3", "--sample-seconds", "12", "--warmup", "1", "--channels", "1", "--viewers", "2"], timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.first == " " && $0.split(separator: " ").count == 10 }.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 3, "\(result.stdout)")
        // sample, RSS, files, sockets, threads, CPU, receiving, sessions, (with frames), segments
        #expect(rows.allSatisfy { $0[6] == "2" && Double($0[1]) ?? 0 > 1 && Int($0[2]) ?? 0 > 10 && (1..<(Int($0[2]) ?? 0)).contains(Int($0[3]) ?? 0) }, "\(result.stdout)")
        #expect(rows.last.map { Int($0[7]) ?? 0 >= 6 && $0[8] == "(\($0[7]))" && Int($0[9]) ?? 0 >= 1 } == true, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("  RSS: ") } && lines.contains { $0.hasPrefix("  open files: ") } && lines.contains { $0.hasPrefix("  threads: ") })
        #expect(lines.contains("viewer sessions: \(rows.last?[7] ?? "?"), with frames \(rows.last?[7] ?? "?"); joins that failed: 0"), "\(result.stdout)")
    }
}
