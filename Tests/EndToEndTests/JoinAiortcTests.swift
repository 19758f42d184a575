import Foundation
import PeerGateTestSupport
import Testing

/// `peergate join` as a viewer of an aiortc master through peergate's signaling
/// (Tests/Peers/media_aiortc_master.py): over host candidates and relay-only through
/// peergate's TURN, it writes H.264 and Opus files that decode, with ≥ 98 % of the frames.
@Suite(.serialized) struct JoinAiortcTests {
    @Test(arguments: [false, true])
    func joinRecordsAnAiortcMaster(relayOnly: Bool) async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"])
        let output = temporaryPath("peergate-join")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let channel = relayOnly ? "join-relay" : "join-host"
        let created = try await server.client(["channels", "create", channel])
        #expect(created.status == 0, "\(created.stderr)")
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run(
            "media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, channel, "4"] + (relayOnly ? ["relay"] : []), timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))  // the master connects first
        let join = try await PeergateProcess.run(
            ["join", "--channel", channel, "--output", output, "--duration", "7", "--data-dir", server.dataDir] + credentials + (relayOnly ? ["--relay-only"] : []),
            timeout: .seconds(60))
        let result = try await master
        try await server.stop()
        #expect(join.status == 0, "\(join.stderr.suffix(1500))")
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(join.stdout.utf8)) as? [String: Any], "\(join.stdout)")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        let received = summary["videoFrames"] as? Int ?? 0
        #expect(summary["connected"] as? Bool == true)
        #expect(summary["videoCodec"] as? String == "H264")
        #expect(sent > 60 && Double(received) >= 0.98 * Double(sent), "received \(received) of \(sent)")
        #expect((summary["audioFrames"] as? Int ?? 0) > 100)
        for file in [output + "/\(channel).h264", output + "/\(channel).ogg"] {
            let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], timeout: .seconds(60))
            #expect(decode.status == 0 && decode.output.isEmpty, "\(file): \(decode.output.suffix(600))")
        }
    }
}
