import Foundation
import PeerGateTestSupport
import Testing

/// The server closes idle signaling connections (10 minutes by default, as KVS; 10 s here):
/// a recorder's signaling connection, idle once the session is negotiated, is closed and
/// connects again, and the recording goes on in the same session — one recording, one
/// segment, ≥ 98 % of the frames.
@Suite(.serialized) struct RecordSignalingIdleTests {
    @Test func anIdleSignalingConnectionClosedByTheServerDoesNotEndTheRecording() async throws {
        let server = try await ServerProcess(arguments: ["--set", "signaling.idleTimeoutSeconds=10"])
        let recordings = temporaryPath("peergate-record-idle")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-idle"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-idle", "24"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        let record = try await PeergateProcess.run(
            ["record", "--channel", "record-idle", "--duration", "27", "--segment-seconds", "30", "--media-timeout", "4", "--data-dir", recordings] + credentials,
            timeout: .seconds(60))
        let result = try await master
        try await server.stop()
        #expect(record.status == 0, "\(record.stderr.suffix(1500))")
        #expect(result.status == 0, "\(result.stderr.suffix(1000))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(record.stdout.utf8)) as? [String: Any], "\(record.stdout)")
        // One recording (a later session that finds no master once it has gone records nothing).
        #expect((summary["recordings"] as? [Int])?.count == 1, "\(record.stdout) \(record.stderr.suffix(1500))")
        let recorded = try await RecordAiortcTests.checkSegments(dataDir: recordings, channel: "record-idle")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        #expect(recorded.segments.count == 1, "\(recorded.segments.map(\.duration))")
        #expect(sent > 500 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent)")
        #expect(record.stderr.contains("signaling connection ended; connecting again"), "\(record.stderr.suffix(1500))")
    }
}
