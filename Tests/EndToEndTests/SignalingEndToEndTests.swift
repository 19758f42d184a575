import Foundation
import PeerGateTestSupport
import Testing

/// Independent WebSocket clients (Python `websockets`, URLs presigned by botocore) against a
/// running `peergate serve`.
@Suite struct SignalingEndToEndTests {
    @Test func masterAndViewersExchangeMessagesAndBadInputIsRefused() async throws {
        let server = try await ServerProcess()
        let run = try await PythonPeers.run("signaling_e2e.py", [server.url(), server.accessKeyId, server.secretAccessKey])
        try await server.stop()
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.checks.count == 18, "checks run: \(run.checks.map(\.name)) stderr: \(run.stderr.suffix(2000))")
        #expect(run.status == 0)
    }
}
