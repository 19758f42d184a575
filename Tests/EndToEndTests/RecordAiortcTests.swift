import Foundation
import PeerGateTestSupport
import Recording
import Storage
import Testing

/// `peergate record` as a viewer of an aiortc master (Tests/Peers/media_aiortc_master.py)
/// through peergate's signaling: segments of the configured length (keyframes asked for by
/// PLI), every one a playable fragmented MP4 that matches its row, ≥ 98 % of the frames
/// sent; and after `kill -9` mid-recording, start-up reconciliation leaves an index that
/// matches the disk.
@Suite(.serialized) struct RecordAiortcTests {
    struct Recorded {
        var segments: [SegmentRow]
        var decodedFrames = 0
    }

    /// Checks every segment of `channel` in `dataDir` against its file; returns them.
    static func checkSegments(dataDir: String, channel: String, within hours: Int64 = 1) async throws -> Recorded {
        let database = try PeerGateDatabase.open(dataDir: dataDir, migrations: Migration.bundled())
        let index = RecordingIndex(database: database)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        var recorded = Recorded(segments: try index.segments(channel: channel, from: now - hours * 3_600_000_000, to: now + hours * 3_600_000_000))
        for segment in recorded.segments {
            #expect(segment.state == .complete, "\(segment.path) is \(segment.state)")
            let path = dataDir + "/" + segment.path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
            #expect(Int64(size) == segment.bytes, "\(segment.path): \(size) bytes on disk, \(segment.bytes) indexed")
            let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], timeout: .seconds(60))
            #expect(decode.status == 0 && decode.output.isEmpty, "\(segment.path): \(decode.output.suffix(600))")
            let probe = try await ExternalProcess.run("/usr/bin/ffprobe", [
                "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,width,height", "-of", "csv=p=0", path,
            ])
            let fields = probe.output.split(separator: "\n").first?.split(separator: ",").map(String.init) ?? []
            #expect(fields.count == 3 && fields[0] == "\(segment.width)" && fields[1] == "\(segment.height)", "\(fields) vs \(segment.width)x\(segment.height)")
            recorded.decodedFrames += Int(fields.last ?? "") ?? 0
            // Both streams, and the indexed duration within a frame of what the file plays.
            let streams = try await ExternalProcess.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "csv=p=0", path])
            let lines = streams.output.split(separator: "\n").map(String.init)
            #expect(lines.contains("h264") && lines.contains("opus"), "\(segment.path): \(lines)")
            let seconds = lines.compactMap(Double.init).first ?? -1
            let detail = try await ExternalProcess.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,start_time,duration:format=start_time,duration", "-of", "compact", path])
            #expect(abs(Int64(seconds * 1_000_000) - segment.duration) <= 34_000, "\(segment.path): file \(seconds) s, index \(segment.duration) µs \(detail.output)")
        }
        return recorded
    }

    @Test func recordsAnAiortcMasterIntoPlayableSegments() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-aiortc"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-aiortc", "20"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))  // the master connects first
        let record = try await PeergateProcess.run(
            ["record", "--channel", "record-aiortc", "--duration", "24", "--segment-seconds", "5", "--media-timeout", "3", "--data-dir", recordings] + credentials,
            timeout: .seconds(60))
        let result = try await master
        try await server.stop()
        #expect(record.status == 0, "\(record.stderr.suffix(1500))")
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(record.stdout.utf8)) as? [String: Any], "\(record.stdout)")
        let recorded = try await Self.checkSegments(dataDir: recordings, channel: "record-aiortc")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        #expect(recorded.segments.count >= 3, "\(recorded.segments.map(\.duration))")
        #expect(summary["segments"] as? Int == recorded.segments.count)
        #expect(sent > 100 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent)")
        // Segments of about five seconds (PLI gets a keyframe when one is due), audio in them.
        for segment in recorded.segments.dropLast() { #expect(segment.duration >= 4_900_000 && segment.duration <= 6_000_000, "\(segment.duration)") }
        #expect(recorded.segments.allSatisfy { $0.videoCodec == "H264" && $0.audioCodec == "opus" })
    }

    @Test func killedMidRecordingTheIndexStillMatchesTheDisk() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record-kill")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-kill"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-kill", "8"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        let record = try PeergateProcess.start(["record", "--channel", "record-kill", "--segment-seconds", "2", "--data-dir", recordings] + credentials)
        try await Task.sleep(for: .seconds(7))
        record.signal(SIGKILL)
        let killedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
        _ = try await record.finish(timeout: .seconds(10))
        _ = try await master
        // Start-up reconciliation of the next run (which finds no master and stops).
        let again = try await PeergateProcess.run(
            ["record", "--channel", "record-kill", "--duration", "1", "--data-dir", recordings] + credentials, timeout: .seconds(30))
        try await server.stop()
        #expect(again.status == 0, "\(again.stderr.suffix(1500))")
        #expect(again.stderr.contains("left open"), "\(again.stderr.suffix(1500))")
        let recorded = try await Self.checkSegments(dataDir: recordings, channel: "record-kill")
        #expect(recorded.segments.count >= 2 && recorded.decodedFrames > 60, "\(recorded.segments.count) segments, \(recorded.decodedFrames) frames")
        // fsync per fragment (≤ 1 s each): at most about a second lost before the kill.
        let lastEnd = recorded.segments.map(\.end).max() ?? 0
        #expect(killedAt - lastEnd <= 1_300_000, "\(Double(killedAt - lastEnd) / 1e6) s of media before the kill missing")
    }

    /// `recorders:` in the config: `serve` records the channel itself (a signaling client of
    /// its own endpoint), counts what it writes in /metrics, and reconciles at start-up.
    @Test func serveRecordsAConfiguredChannel() async throws {
        let server = try await ServerProcess(arguments: [
            "--create-channel", "serve-rec", "--set", "recorders.0.channel=serve-rec", "--set", "recording.segmentSeconds=2",
        ])
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "serve-rec", "6"], timeout: .seconds(90))
        let result = try await master
        try await Task.sleep(for: .seconds(1))
        let frames = try await server.metric("peergate_recording_frames_total", matching: "serve-rec")
        let segmentsOpened = try await server.metric("peergate_recording_segments_total", matching: "serve-rec")
        let stopped = try await server.stop(keepingData: true)
        defer { try? FileManager.default.removeItem(atPath: server.dataDir) }
        #expect(stopped.status == 0, "\(stopped.stderr.suffix(1000))")
        #expect(result.status == 0 && result.failures.isEmpty, "\(result.failures) \(result.stderr.suffix(1500))")
        let recorded = try await Self.checkSegments(dataDir: server.dataDir, channel: "serve-rec")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        #expect(recorded.segments.count >= 2 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent)")
        #expect(frames >= Double(sent) && segmentsOpened >= Double(recorded.segments.count), "frames \(frames), segments \(segmentsOpened)")
    }

    /// `peergate record --role master`: two aiortc viewers send to it at once; each gets a
    /// recording of its own (role master, its client id), whose segments play.
    @Test func recordsEachViewerAsMaster() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record-master")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-master"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let record = try PeergateProcess.start(
            ["record", "--role", "master", "--channel", "record-master", "--duration", "12", "--segment-seconds", "3", "--media-timeout", "3", "--data-dir", recordings]
                + credentials)
        try await Task.sleep(for: .seconds(2))  // the master connects first
        let arguments = [server.url(), server.accessKeyId, server.secretAccessKey, "record-master"]
        async let first = PythonPeers.run("media_aiortc_sending_viewer.py", arguments + ["viewer-a", "6"], timeout: .seconds(60))
        async let second = PythonPeers.run("media_aiortc_sending_viewer.py", arguments + ["viewer-b", "6"], timeout: .seconds(60))
        let (a, b) = try await (first, second)
        let result = try await record.finish(timeout: .seconds(30))
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1500))")
        for run in [a, b] { #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(1000))") }
        let database = try PeerGateDatabase.open(dataDir: recordings, migrations: Migration.bundled())
        let index = RecordingIndex(database: database)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let rows = try index.recordings(channel: "record-master", from: now - 600_000_000, to: now + 60_000_000)
        #expect(Set(rows.map(\.peerClientID)) == ["viewer-a", "viewer-b"] && rows.allSatisfy { $0.role == .master && $0.state == .complete }, "\(rows)")
        let recorded = try await Self.checkSegments(dataDir: recordings, channel: "record-master")
        let sent = [a, b].map { Int($0.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0 }.reduce(0, +)
        #expect(sent > 200 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent)")
        for row in rows { #expect(try index.segments(recording: row.id).count >= 2) }
    }
}
