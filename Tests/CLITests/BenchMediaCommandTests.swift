import PeerGateTestSupport
import Testing

/// `peergate bench media` on a small load: every frame crosses the measured media path and
/// reaches the receivers of the memory figure, so the figures describe a working path; stock
/// libsrtp is measured next to it.
@Suite struct BenchMediaCommandTests {
    @Test func smallRunMeasuresAWorkingMediaPath() async throws {
        let result = try await PeergateProcess.run(["bench", "media", "--frames", "90", "--pairs", "1", "--seconds", "1"], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        let output = result.stdout
        #expect(output.contains("command: peergate bench media --frames 90"))
        #expect(output.contains("(90 frames received whole)"), "\(output)")
        #expect(output.contains("30 of 30 video frames received"), "\(output)")
        #expect(output.contains("send (payloader") && output.contains("receive (demultiplex"))
        // Stock libsrtp measured in a child process that keeps libsrtp's own crypto.
        #expect(output.contains("stock libsrtp (its own crypto, PEERGATE_SRTP_CRYPTO=libsrtp, a child process): bare protect "), "\(output)")
    }
}
