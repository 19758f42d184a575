import Foundation
import PeerGateTestSupport
import Testing

/// `peergate publish` republishes GStreamer's RTSP server (a live camera) and files to
/// aiortc viewers (Tests/Peers/republish_viewers.py): ten at once each decode ≥ 95 % of the
/// video frames sent to them and the eleventh is refused; files loop; RTSP over UDP; a
/// camera that goes away and comes back resumes for the same viewers without a new offer;
/// bad sources give a clear error and retries, never a crash.
@Suite(.serialized) struct RepublishAiortcTests {
    struct ViewerResult {
        var decoded: Int
        var firstFrameMs: Double?
        var audio: Int
    }

    struct Outcome {
        var viewers: [String: ViewerResult]
        var refused: Int
        var videoSent: [String: Int]
        var audioSent: [String: Int]
        var sourceOpens: Int
        var publishLog: String
    }

    /// Publishes `source` for `duration` seconds; `count` viewers join after a second and
    /// watch for `watch` seconds; then `extra` more try to join.
    static func run(
        source: String, publishArguments: [String] = [], duration: Int, count: Int, watch: Int, extra: Int = 0,
        during: (@Sendable () async throws -> Void)? = nil
    ) async throws -> Outcome {
        let server = try await ServerProcess()
        #expect(try await server.client(["channels", "create", "republished"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let publisher = try PeergateProcess.start(
            ["publish", "--channel", "republished", "--source", source, "--duration", "\(duration)", "--source-timeout", "3", "--data-dir", server.dataDir]
                + credentials + publishArguments)
        try await Task.sleep(for: .seconds(1.5))  // the master connects first
        async let viewers = PythonPeers.run(
            "republish_viewers.py", [server.url(), server.accessKeyId, server.secretAccessKey, "republished", "\(count)", "\(watch)", "\(extra)"],
            timeout: .seconds(watch + 60))
        if let during { try await during() }
        let run = try await viewers
        let result = try await publisher.finish(timeout: .seconds(Double(duration + 30)))
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        #expect(run.status == 0, "\(run.stderr.suffix(1500))")
        let detail = run.checks.first { $0.name == "viewers" }?.detail ?? "{}"
        let parsed = (try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: [String: Any]]) ?? [:]
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        return Outcome(
            viewers: parsed.mapValues {
                ViewerResult(decoded: $0["decoded"] as? Int ?? 0, firstFrameMs: ($0["firstFrameMs"] as? NSNumber)?.doubleValue, audio: $0["audio"] as? Int ?? 0)
            },
            refused: Int(run.checks.first { $0.name == "refused" }?.detail ?? "") ?? -1, videoSent: summary["framesSent"] as? [String: Int] ?? [:],
            audioSent: summary["audioFramesSent"] as? [String: Int] ?? [:], sourceOpens: summary["sourceOpens"] as? Int ?? 0, publishLog: result.stderr)
    }

    /// A 320x240 H.264 (baseline, keyframe every second) clip with a 440 Hz tone in `audio`,
    /// in a new directory.
    static func clip(seconds: Int, audio: String = "libopus", sampleRate: Int = 48_000) async throws -> (directory: String, path: String) {
        let directory = temporaryPath("peergate-publish-clip")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/clip.mp4"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(sampleRate)", "-t", "\(seconds)",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", "-c:a", audio, path,
        ])
        #expect(made.status == 0, "\(made.output)")
        return (directory, path)
    }

    /// Every viewer decoded ≥ 95 % of the video frames sent to it, at least `minimum`, and audio.
    static func expectDecoded(_ outcome: Outcome, viewers: Int, minimum: Int) {
        #expect(outcome.viewers.count == viewers, "\(outcome.viewers.keys.sorted())")
        for (id, viewer) in outcome.viewers.sorted(by: { $0.key < $1.key }) {
            let sent = outcome.videoSent[id] ?? 0
            #expect(sent >= minimum && Double(viewer.decoded) >= 0.95 * Double(sent), "\(id) decoded \(viewer.decoded) of \(sent) video frames")
            #expect(viewer.audio > 0 && (outcome.audioSent[id] ?? 0) > 0, "\(id) audio: \(viewer.audio) decoded")
        }
    }

    @Test func tenViewersOfAnRTSPCameraDecodeAndTheEleventhIsRefused() async throws {
        let camera = try await RTSPTestServer()
        defer { camera.stop() }
        let outcome = try await Self.run(source: camera.url, duration: 20, count: 10, watch: 12, extra: 1)
        Self.expectDecoded(outcome, viewers: 10, minimum: 250)
        #expect(outcome.refused == 1)
        // With the GOP cache, each starts at a keyframe at once (ten at a time on two cores here).
        let firstFrames = outcome.viewers.values.compactMap(\.firstFrameMs)
        #expect(firstFrames.count == 10 && firstFrames.allSatisfy { $0 < 2000 }, "\(firstFrames.sorted())")
        #expect(outcome.sourceOpens == 1, "one source read for all viewers")
    }

    @Test func aFileLoops() async throws {
        let (directory, source) = try await Self.clip(seconds: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(source: source, publishArguments: ["--loop"], duration: 14, count: 1, watch: 10)
        // 10 s of a 3 s clip: it played more than three times over.
        Self.expectDecoded(outcome, viewers: 1, minimum: 250)
    }

    /// AAC audio (what cameras send; browsers cannot take it) reaches viewers as Opus.
    @Test func aacAudioReachesViewersAsOpus() async throws {
        let (directory, source) = try await Self.clip(seconds: 4, audio: "aac", sampleRate: 44_100)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try await Self.run(source: source, publishArguments: ["--loop"], duration: 11, count: 1, watch: 7)
        Self.expectDecoded(outcome, viewers: 1, minimum: 150)
        let viewer = outcome.viewers["viewer-0"]
        #expect((viewer?.audio ?? 0) >= 200 && (outcome.audioSent["viewer-0"] ?? 0) >= 200, "\(String(describing: viewer)) \(outcome.audioSent)")
    }

    @Test func anRTSPCameraOverUDP() async throws {
        let camera = try await RTSPTestServer()
        defer { camera.stop() }
        let outcome = try await Self.run(source: camera.url, publishArguments: ["--rtsp-transport", "udp"], duration: 12, count: 1, watch: 8)
        Self.expectDecoded(outcome, viewers: 1, minimum: 180)
    }

    @Test func viewersResumeWhenTheCameraComesBack() async throws {
        let camera = try await RTSPTestServer()
        defer { camera.stop() }
        let outcome = try await Self.run(source: camera.url, duration: 20, count: 1, watch: 16) {
            try await Task.sleep(for: .seconds(5))
            camera.stop()
            try await Task.sleep(for: .seconds(2))
            try await camera.restart()
        }
        #expect(outcome.sourceOpens >= 2, "\(outcome.publishLog.suffix(1500))")
        #expect(outcome.publishLog.contains("source lost"))
        // More frames than the first five seconds could hold: video went on for the same viewer.
        Self.expectDecoded(outcome, viewers: 1, minimum: 280)
    }

    @Test func badSourcesFailClearlyAndRetry() async throws {
        let camera = try await RTSPTestServer()
        defer { camera.stop() }
        let directory = temporaryPath("peergate-publish-bad")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = directory + "/notes.mp4"
        try Data("not media at all\n".utf8).write(to: URL(filePath: text))
        let mpeg4 = directory + "/mpeg4.mkv"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-t", "1", "-c:v", "mpeg4", mpeg4])
        #expect(made.status == 0)
        let server = try await ServerProcess()
        #expect(try await server.client(["channels", "create", "bad"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let cases: [(source: String, reason: String)] = [
            ("rtsp://127.0.0.1:9/camera", "Connection refused"), ("\(camera.url.dropLast(4))nope", "404"), (text, "Invalid data"), (mpeg4, "no H.264, H.265"),
        ]
        let runs = try cases.map { source, _ in
            try PeergateProcess.start(["publish", "--channel", "bad", "--source", source, "--duration", "5", "--source-timeout", "2", "--data-dir", server.dataDir] + credentials)
        }
        for (run, expected) in zip(runs, cases) {
            let result = try await run.finish(timeout: .seconds(30))
            #expect(result.status == 0, "\(expected.source): \(result.stderr.suffix(800))")
            let lost = result.stderr.components(separatedBy: "source lost").count - 1
            #expect(lost >= 2 && result.stderr.contains(expected.reason), "\(expected.source): \(lost) losses: \(result.stderr.suffix(800))")
        }
        try await server.stop()
    }

    /// `publishers:` in the config: `serve` makes the channel and republishes a file on
    /// demand — opened with the first viewer, closed when the last has been gone
    /// `closeAfterSeconds`, opened again for the next.
    @Test func serveRepublishesOnDemand() async throws {
        let (directory, source) = try await Self.clip(seconds: 2)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServerProcess(arguments: [
            "--set", "publishers.0.channel=lobby", "--set", "publishers.0.source=\(source)", "--set", "publishers.0.loop=true",
            "--set", "publishers.0.closeAfterSeconds=1",
        ])
        let opens = { try await server.metric("peergate_republish_source_opens_total", matching: "lobby") }
        try await Task.sleep(for: .seconds(2))
        #expect(try await opens() == 0, "nothing opened before a viewer")
        for round in 1...2 {
            let run = try await PythonPeers.run("republish_viewers.py", [server.url(), server.accessKeyId, server.secretAccessKey, "lobby", "1", "4"], timeout: .seconds(60))
            let detail = run.checks.first { $0.name == "viewers" }?.detail ?? "{}"
            let viewer = (try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: [String: Any]])?["viewer-0"] ?? [:]
            #expect(run.status == 0 && (viewer["decoded"] as? Int ?? 0) >= 90, "round \(round): \(detail) \(run.stderr.suffix(800))")
            let text = try await server.metricsText().split(separator: "\n").filter { $0.contains("republish_source") }
            #expect(try await opens() == Double(round), "\(text)")
            try await Task.sleep(for: .seconds(3))  // the last viewer left: closed after 1 s
        }
        try await server.stop()
    }
}
