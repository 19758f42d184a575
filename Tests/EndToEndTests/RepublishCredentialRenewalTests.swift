import Foundation
import PeerGateTestSupport
import Testing

/// TURN credentials from `GetIceServerConfig` expire (here after 30 s); a publisher that
/// serves viewers for longer makes their PeerConnections with renewed ones. Relay-only, its
/// PeerConnection for a viewer that joins after the first credentials expired has relayed
/// candidates only if the renewal happened (with the expired ones its Allocate gets 401 and
/// the viewer nothing).
@Suite(.serialized) struct RepublishCredentialRenewalTests {
    @Test func aRelayOnlyPublisherServesAViewerThatJoinsAfterItsFirstCredentialsExpired() async throws {
        let (directory, clip) = try await RepublishAiortcTests.clip(seconds: 4)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServerProcess(arguments: ["--set", "turn.allowLoopbackPeers=true", "--set", "turn.credentialTTLSeconds=30", "--create-channel", "renewal"])
        let recordings = temporaryPath("peergate-renewal")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let publisher = try PeergateProcess.start(
            ["publish", "--channel", "renewal", "--source", clip, "--loop", "--relay-only", "--duration", "60", "--data-dir", server.dataDir] + credentials)
        try await Task.sleep(for: .seconds(35))
        let record = try await PeergateProcess.run(
            ["record", "--channel", "renewal", "--duration", "6", "--media-timeout", "5", "--data-dir", recordings] + credentials, timeout: .seconds(60))
        publisher.signal(SIGTERM)
        let published = try await publisher.finish(timeout: .seconds(30))
        try await server.stop()
        #expect(record.status == 0, "\(record.stderr.suffix(1500))")
        let summary = (try? JSONSerialization.jsonObject(with: Data(record.stdout.utf8)) as? [String: Any]) ?? [:]
        let written = summary["framesWritten"] as? Int ?? 0
        #expect(written > 100, "recorder wrote \(written) frames; publisher: \(published.stderr.suffix(1500))")
        #expect(published.stderr.contains("connected (DTLS done)"), "\(published.stderr.suffix(1500))")
    }
}
