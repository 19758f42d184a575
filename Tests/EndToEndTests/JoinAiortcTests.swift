import Foundation
import PeerGateTestSupport
import Testing

/// `peergate join` as a viewer of an aiortc master through peergate's signaling
/// (Tests/Peers/media_aiortc_master.py): over host candidates and relay-only through
/// peergate's TURN, it writes H.264 and Opus files that decode, with ≥ 98 % of the frames.
@Suite(.serialized) struct JoinAiortcTests {
    /// `host`, `relay` (relay-only through TURN) and `loss` (host, with 5 % of the media
    /// datagrams peergate receives dropped on purpose: NACK and aiortc's retransmissions
    /// must keep ≥ 99 % of the frames).
    @Test(arguments: ["host", "relay", "loss"])
    func joinRecordsAnAiortcMaster(mode: String) async throws {
        let relayOnly = mode == "relay"
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"])
        let output = temporaryPath("peergate-join")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let channel = "join-" + mode
        let created = try await server.client(["channels", "create", channel])
        #expect(created.status == 0, "\(created.stderr)")
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run(
            "media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, channel, "4"] + (relayOnly ? ["relay"] : []), timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))  // the master connects first
        let join = try await PeergateProcess.run(
            ["join", "--channel", channel, "--output", output, "--duration", "7", "--data-dir", server.dataDir] + credentials + (relayOnly ? ["--relay-only"] : []) + (mode == "loss" ? ["--simulate-loss", "0.05"] : []),
            timeout: .seconds(60))
        let result = try await master
        let relayed = try await server.metric("peergate_turn_relayed_packets_total")
        if relayOnly { #expect(relayed > 300, "\(relayed) packets relayed by TURN") }
        try await server.stop()
        #expect(join.status == 0, "\(join.stderr.suffix(1500))")
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(join.stdout.utf8)) as? [String: Any], "\(join.stdout)")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        let received = summary["videoFrames"] as? Int ?? 0
        #expect(summary["connected"] as? Bool == true)
        #expect(summary["videoCodec"] as? String == "H264")
        #expect(sent > 60 && Double(received) >= (mode == "loss" ? 0.99 : 0.98) * Double(sent), "received \(received) of \(sent); \(String(describing: summary["inbound"]))")
        if mode == "loss" {
            let transport = summary["transport"] as? [String: Any]
            let video = (summary["inbound"] as? [[String: Any]])?.first { $0["mid"] as? String == "0" }
            // Loss was injected: at least 1 % of the datagrams (5 % is asked; aiortc's still
            // test picture sends only a few hundred packets, so a fixed count is a coin toss).
            let drops = transport?["simulatedLossDrops"] as? Int ?? 0
            let received = transport?["packetsReceived"] as? Int ?? 0
            #expect(drops > 0 && drops * 100 >= received, "\(String(describing: transport))")
            #expect((video?["nackCount"] as? Int ?? 0) > 0, "\(String(describing: video))")
        }
        #expect((summary["audioFrames"] as? Int ?? 0) > 100)
        for file in [output + "/\(channel).h264", output + "/\(channel).ogg"] {
            let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], timeout: .seconds(60))
            #expect(decode.status == 0 && decode.output.isEmpty, "\(file): \(decode.output.suffix(600))")
        }
    }
}

/// `peergate join --role master` sends an MP4 file with H.264 and Opus (made by the ffmpeg
/// CLI) to an aiortc viewer through peergate's signaling (Tests/Peers/media_aiortc_viewer.py),
/// which decodes ≥ 98 % of the video frames sent to it, and the audio; over host candidates
/// and relay-only through peergate's TURN.
@Suite(.serialized) struct JoinMasterAiortcTests {
    @Test(arguments: [false, true])
    func aiortcViewerDecodesWhatTheMasterSends(relayOnly: Bool) async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"])
        let directory = temporaryPath("peergate-join-master")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = try await Self.source(in: directory)
        #expect(try await server.client(["channels", "create", "join-master"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let master = try PeergateProcess.start(
            ["join", "--role", "master", "--channel", "join-master", "--source", source, "--duration", "10", "--data-dir", server.dataDir] + credentials + (relayOnly ? ["--relay-only"] : []))
        try await Task.sleep(for: .seconds(1))  // the master connects first
        let viewer = try await PythonPeers.run("media_aiortc_viewer.py", [server.url(), server.accessKeyId, server.secretAccessKey, "join-master", "20", "audio"] + (relayOnly ? ["relay"] : []), timeout: .seconds(60))
        let result = try await master.finish(timeout: .seconds(30))
        let relayed = try await server.metric("peergate_turn_relayed_packets_total")
        if relayOnly { #expect(relayed > 300, "\(relayed) packets relayed by TURN") }
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(viewer.status == 0 && viewer.failures.isEmpty, "\(viewer.failures) \(viewer.stderr.suffix(1500))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        let sent = (summary["framesSent"] as? [String: Int])?["aiortc-viewer"] ?? 0
        let decoded = Int(viewer.checks.first { $0.name == "video frames decoded" }?.detail ?? "") ?? 0
        #expect(sent >= 30 && Double(decoded) >= 0.98 * Double(sent), "aiortc decoded \(decoded) of \(sent)")
        let audioSent = (summary["audioFramesSent"] as? [String: Int])?["aiortc-viewer"] ?? 0
        let audioDecoded = Int(viewer.checks.first { $0.name == "audio frames decoded" }?.detail ?? "") ?? 0
        #expect(audioSent >= 100 && Double(audioDecoded) >= 0.9 * Double(audioSent), "aiortc decoded \(audioDecoded) of \(audioSent) audio frames")
    }

    /// A relay-only master still serves a viewer that comes after the TURN credentials it
    /// started with expired (30 s, the shortest `turn.credentialTTLSeconds`): each viewer's
    /// PeerConnection gets renewed ones (with the first ones its relay allocation was refused).
    @Test func aViewerAfterTheFirstCredentialsExpiredIsServedOverTURN() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true", "--set", "turn.credentialTTLSeconds=30"])
        let directory = temporaryPath("peergate-join-master-renew")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = try await Self.source(in: directory)
        #expect(try await server.client(["channels", "create", "join-renew"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let master = try PeergateProcess.start(
            ["join", "--role", "master", "--channel", "join-renew", "--source", source, "--duration", "44", "--relay-only", "--data-dir", server.dataDir] + credentials)
        try await Task.sleep(for: .seconds(33))
        let viewer = try await PythonPeers.run("media_aiortc_viewer.py", [server.url(), server.accessKeyId, server.secretAccessKey, "join-renew", "6", "relay"], timeout: .seconds(60))
        let result = try await master.finish(timeout: .seconds(30))
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(viewer.status == 0 && viewer.failures.isEmpty, "\(viewer.failures) \(viewer.stderr.suffix(1500))")
        let decoded = Int(viewer.checks.first { $0.name == "video frames decoded" }?.detail ?? "") ?? 0
        #expect(decoded >= 30, "aiortc decoded \(decoded) video frames")
    }

    /// A 2-s H.264 + Opus clip in `directory` (created).
    static func source(in directory: String) async throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = directory + "/source.mp4"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "2", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", "-c:a", "libopus", source,
        ])
        #expect(made.status == 0, "\(made.output)")
        return source
    }
}
