import Foundation
import PeerGateTestSupport
import RecordingsAPI
import Testing

/// The recordings API and `peergate recordings` against a running server with real media:
/// a file republished into a channel (`peergate publish`), recorded by a recorder started
/// through the API, listed, exported across segments and checked by ffprobe and ffmpeg.
@Suite(.serialized) struct RecordingsAPIEndToEndTests {
    @Test func recordListExportThroughTheCLI() async throws {
        let (directory, clip) = try await RepublishAiortcTests.clip(seconds: 4)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServerProcess(arguments: ["--create-channel", "demo", "--set", "recording.segmentSeconds=2"])
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let publisher = try PeergateProcess.start(
            ["publish", "--channel", "demo", "--source", clip, "--loop", "--duration", "14", "--data-dir", server.dataDir] + credentials)
        try await Task.sleep(for: .seconds(1.5))
        let started = try await server.client(["recordings", "start", "--channel", "demo"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout.contains("\"origin\":\"api\""))
        let again = try await server.client(["recordings", "start", "--channel", "demo"])
        #expect(again.status != 0 && again.stderr.contains("already being recorded"))
        try await Task.sleep(for: .seconds(9))
        let stopped = try await server.client(["recordings", "stop", "--channel", "demo"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        _ = try await publisher.finish(timeout: .seconds(30))

        let list = try await server.client(["recordings", "list", "--channel", "demo", "--json"])
        let recordings = try JSONDecoder().decode(RecordingsAPI.RecordingPage.self, from: Data(list.stdout.utf8)).recordings
        #expect(recordings.count >= 1 && recordings.allSatisfy { $0.state == "complete" && $0.videoCodec != nil }, "\(list.stdout) \(list.stderr)")
        let show = try await server.client(["recordings", "show", "--channel", "demo", "--json"])
        let segments = try JSONDecoder().decode(RecordingsAPI.SegmentPage.self, from: Data(show.stdout.utf8)).segments
        #expect(segments.count >= 3, "\(show.stdout)")
        let human = try await server.client(["recordings", "list"])
        #expect(human.stdout.contains("demo") && human.stdout.contains("CHANNEL"), "\(human.stdout)")

        let output = directory + "/export.mp4"
        let export = try await server.client(["recordings", "export", "--channel", "demo", "--to", "now", "-o", output])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("100%"), "\(export.stderr)")
        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", output, "-f", "null", "-"])
        #expect(decode.status == 0 && decode.output.isEmpty, "\(decode.output)")
        let probe = try await ExternalProcess.run("/usr/bin/ffprobe", [
            "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", output,
        ])
        let streams = probe.output.split(separator: "\n").map(String.init)
        let frames = streams.first { $0.hasPrefix("h264,") }.flatMap { Int($0.dropFirst(5)) } ?? 0
        // Every video frame of the segment files is in the export.
        var recordedFrames = 0
        let root = server.dataDir + "/recordings"
        for case let file as String in FileManager.default.enumerator(atPath: root) ?? FileManager.DirectoryEnumerator() where file.hasSuffix(".mp4") {
            let count = try await ExternalProcess.run("/usr/bin/ffprobe", [
                "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", root + "/" + file,
            ])
            recordedFrames += Int(count.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        #expect(frames == recordedFrames && frames > 150, "\(streams) vs \(recordedFrames) recorded")
        #expect(streams.contains { $0.hasPrefix("opus,") }, "\(streams)")
        // A presigned HLS link from the CLI plays in ffprobe, every frame of the files.
        let link = try await server.client(["recordings", "url", "--channel", "demo", "--hls", "--expires", "600"])
        #expect(link.status == 0 && link.stdout.contains("X-Amz-Signature="), "\(link.stderr)")
        let hls = try await ExternalProcess.run("/usr/bin/ffprobe", [
            "-v", "error", "-protocol_whitelist", "file,http,tcp,crypto,data", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", link.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
        ])
        // (ffprobe prints the stream once under its HLS program and once on its own.)
        let counts = hls.output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 == recordedFrames }, "\(hls.output)")
        let missing = try await server.client(["recordings", "export", "--channel", "nothing", "-o", directory + "/none.mp4"])
        #expect(missing.status != 0 && missing.stderr.contains("nothing of nothing was recorded"), "\(missing.stderr)")

        // The OpenAPI description holds for every answer, with valid and with invalid input.
        let conformance = try await PythonPeers.run("openapi_conformance.py", [server.url(), server.accessKeyId, server.secretAccessKey], timeout: .seconds(900))
        #expect(conformance.status == 0 && conformance.checks.count == 4, "\(conformance.failures) \(conformance.stderr.suffix(2000))")
        for check in conformance.checks { #expect(check.ok, "\(check)") }
        let serverRun = try await server.stop()
        #expect(!serverRun.stderr.contains("Fatal error"), "\(serverRun.stderr.suffix(3000))")
    }
}
