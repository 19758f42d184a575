import PeerGateTestSupport
import Testing

/// `peergate bench index` on a small generated index: the timed listings return one whole
/// day of a channel (1,440 one-minute segments), so the figure times the real query.
@Suite struct BenchIndexCommandTests {
    @Test func smallRunListsWholeDays() async throws {
        let result = try await PeergateProcess.run(["bench", "index", "--segments", "28800", "--channels", "4", "--queries", "20"], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(result.stdout.contains("index: 28800 segments in 4 channels"), "\(result.stdout)")
        #expect(result.stdout.contains("one day of one channel (1440 segments) listed"), "\(result.stdout)")
    }
}
