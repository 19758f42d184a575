import PeerGateTestSupport
import Testing

/// Headless Chromium 156 connects its RTCPeerConnection to peergate's WebRTC transport
/// (`peergate webrtc-probe`), both inside a network namespace with only `lo`
/// (Tests/Peers/chromium_transport.py): ICE and DTLS connected in Chromium's getStats, and
/// peergate keyed SRTP. Chromium offering makes peergate the DTLS client; peergate offering
/// makes it the server.
@Suite(.serialized) struct WebRTCTransportChromiumTests {
    @Test(arguments: ["chromium-offers", "peergate-offers"])
    func chromiumConnectsToPeergate(mode: String) async throws {
        let run = try await PythonPeers.run(
            "chromium_transport.py", [PeergateProcess.executable.path(percentEncoded: false), mode], timeout: .seconds(120), isolatedNetwork: true)
        #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(2000))")
        #expect(run.checks.contains { $0.name == "Chromium: DTLS connected" && $0.ok }, "\(run.checks)")
        #expect(run.checks.contains { $0.name == "peergate: DTLS connected and SRTP keyed" && $0.ok })
        // a=setup: the answerer is active (the DTLS client).
        let chromiumRole = mode == "chromium-offers" ? "server" : "client"
        #expect(run.checks.contains { $0.name == "Chromium DTLS role" && $0.detail == chromiumRole }, "\(run.checks)")
    }
}
