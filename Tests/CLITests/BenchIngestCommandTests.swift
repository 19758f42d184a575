import PeerGateTestSupport
import Testing

/// `peergate bench ingest` on a small load: every session is being recorded by the child
/// server during the window, so the CPU figure is per recorded session.
@Suite struct BenchIngestCommandTests {
    @Test func smallRunRecordsEverySession() async throws {
        let result = try await PeergateProcess.run(["bench", "ingest", "--sessions", "2", "--seconds", "3", "--bitrate", "500000"], timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(result.stdout.contains("sessions recording: 2 of 2"), "\(result.stdout)")
        #expect(result.stdout.contains("CPU-s per session-second"), "\(result.stdout)")
    }
}
