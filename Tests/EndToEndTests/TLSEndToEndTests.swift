import Foundation
import PeerGateTestSupport
import Testing

/// With `http.tls` set, the control plane speaks HTTPS and signaling WSS; boto3 and a WSS
/// client verify the server against its self-signed certificate.
@Suite struct TLSEndToEndTests {
    @Test func boto3AndAWSSClientWorkOverTLS() async throws {
        let directory = temporaryPath("peergate-tls")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try SelfSignedCertificate(in: directory)
        let server = try await ServerProcess(arguments: [
            "--set", "http.tls.certificateFile=\(certificate.certificateFile)", "--set", "http.tls.keyFile=\(certificate.keyFile)",
            "--set", "turn.secret=\(ControlPlaneEndToEndTests.turnSecret)",
        ])
        let url = server.url(scheme: "https")
        let control = try await PythonPeers.run(
            "control_plane_e2e.py", [url, server.accessKeyId, server.secretAccessKey, ControlPlaneEndToEndTests.turnSecret, certificate.certificateFile])
        let signaling = try await PythonPeers.run("signaling_e2e.py", [url, server.accessKeyId, server.secretAccessKey, certificate.certificateFile])
        try await server.stop()
        #expect(control.failures.isEmpty, "\(control.failures)")
        #expect(control.checks.count == 22, "\(control.stderr.suffix(2000))")
        #expect(signaling.failures.isEmpty, "\(signaling.failures)")
        #expect(signaling.checks.count == 18, "\(signaling.stderr.suffix(2000))")
    }
}
