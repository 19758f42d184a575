import ArgumentParser
import Foundation
import KVSClient
import PeerGateBench
import Recording
import RecordingsAPI
import Storage

extension BenchCommand {
    /// `peergate bench recordings`: the recordings API of a running `serve` over HTTP —
    /// listing one day of a channel out of a generated 1,000,000-segment index (next to the
    /// same query made in-process on the index), and `playback.mp4` throughput across real
    /// segment files (next to downloading the same files as they are).
    struct Recordings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recordings",
            abstract: "Day listings through the recordings API (goal ≤ 20 ms p99 at 1,000,000 segments) and playback.mp4 throughput in MB/s.")

        @Option(help: "Segments in the generated index (one minute each).") var segments = 1_000_000
        @Option(help: "Channels they are spread over.") var channels = 10
        @Option(help: "Timed day listings.") var queries = 200
        @Option(help: "Real one-minute segment files played back as one span.") var playbackSegments = 10

        func run() async throws {
            BenchReport.line(
                BenchReport.header(
                    command: "peergate bench recordings --segments \(segments) --channels \(channels) --queries \(queries) --playback-segments \(playbackSegments)"))
            let directory = NSTemporaryDirectory() + "peergate-bench-recordings-\(UInt32.random(in: 1...UInt32.max))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let (index, fileBytes) = try await prepare(directory)
            let server = try await BenchServer.start(executable: BenchPaths.executable, dataDir: directory)
            defer { server.stop() }
            let client = try KVSClient(endpoint: .init(url: server.url, region: "us-east-1", credentials: server.credentials), timeout: .seconds(600))
            defer { Task { try? await client.shutdown() } }
            try await listings(client, index)
            try await playback(client, fileBytes: fileBytes)
        }

        /// The generated index (rows only) and `playbackSegments` real files on channel `playback`.
        func prepare(_ directory: String) async throws -> (RecordingIndex, Int64) {
            let database = try PeerGateDatabase.open(dataDir: directory, migrations: Migration.bundled())
            let started = ContinuousClock.now
            _ = try RecordingIndexBenchmark.generate(database, segments: segments, channels: channels, state: .missing)
            BenchReport.line(String(format: "index: %d segments in %d channels generated in %.1f s", segments, channels, (ContinuousClock.now - started) / .seconds(1)))
            let clip = directory + "/clip.mp4"
            let made = Process()
            made.executableURL = URL(filePath: "/usr/bin/ffmpeg")
            made.arguments = [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "60",
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-bf", "0", "-g", "60", "-b:v", "2M", "-c:a", "libopus",
                "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", clip,
            ]
            try made.run()
            made.waitUntilExit()
            guard made.terminationStatus == 0 else { throw RuntimeFailure(message: "ffmpeg could not make the playback clip") }
            let index = RecordingIndex(database: database)
            let paths = SegmentPaths(dataDirectory: directory)
            let start = RecordingIndexBenchmark.origin
            let recording = try index.startRecording(channel: "playback", role: .viewer, videoCodec: "H264", audioCodec: "opus", at: start)
            var bytes: Int64 = 0
            for number in 0..<playbackSegments {
                let segmentStart = start + Int64(number) * 60_000_000
                let relative = paths.relativePath(channel: "playback", start: segmentStart)
                try FileManager.default.createDirectory(atPath: (paths.absolute(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: clip, toPath: paths.absolute(relative))
                let size = Int64((try FileManager.default.attributesOfItem(atPath: clip)[.size] as? Int) ?? 0)
                var row = SegmentRow(recordingID: recording, channel: "playback", path: relative, start: segmentStart, videoCodec: "H264", audioCodec: "opus")
                row.id = try index.openSegment(row)
                row.end = segmentStart + 60_000_000
                row.duration = 60_000_000
                row.bytes = size
                row.state = .complete
                try index.updateSegment(row)
                bytes += size
            }
            try index.endRecording(recording, at: start + Int64(playbackSegments) * 60_000_000)
            return (index, bytes)
        }

        func listings(_ client: KVSClient, _ index: RecordingIndex) async throws {
            let perChannel = segments / channels
            let days = max(perChannel / 1440, 1)
            var http: [Double] = []
            var decoding: [Double] = []
            var direct: [Double] = []
            var listed = 0
            for _ in 0..<queries {
                let channel = "camera-\(Int.random(in: 0..<channels))"
                let day = RecordingIndexBenchmark.origin + Int64(Int.random(in: 0..<days)) * 86_400_000_000
                let query = [("from", RFC3339Time.format(day)), ("to", RFC3339Time.format(day + 86_400_000_000)), ("limit", "5000")]
                let began = ContinuousClock.now
                let body = try await client.send(.GET, "/v1/channels/\(channel)/segments", query: query)
                http.append((ContinuousClock.now - began) / .milliseconds(1))
                let decodeStart = ContinuousClock.now
                listed = try JSONDecoder().decode(RecordingsAPI.SegmentPage.self, from: body).segments.count
                decoding.append((ContinuousClock.now - decodeStart) / .milliseconds(1))
                let inProcess = ContinuousClock.now
                _ = try index.segments(channel: channel, from: day, to: day + 86_400_000_000, limit: 5000)
                direct.append((ContinuousClock.now - inProcess) / .milliseconds(1))
            }
            http.sort()
            decoding.sort()
            direct.sort()
            func p(_ values: [Double], _ q: Int) -> Double { values[min(values.count - 1, values.count * q / 100)] }
            BenchReport.line(
                String(
                    format: "one day of one channel (%d segments, one page) through the API: answer received p50 %.1f ms, p99 %.1f ms (goal ≤ 20 ms); the same query in-process on the index: p50 %.1f ms, p99 %.1f ms (API/in-process p99 %.1f×); decoding the answer with Foundation's JSONDecoder adds p50 %.1f ms",
                    listed, p(http, 50), p(http, 99), p(direct, 50), p(direct, 99), p(http, 99) / max(p(direct, 99), 0.001), p(decoding, 50)))
        }

        func playback(_ client: KVSClient, fileBytes: Int64) async throws {
            let output = NSTemporaryDirectory() + "peergate-bench-playback-\(UInt32.random(in: 1...UInt32.max)).mp4"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let span = [("from", RFC3339Time.format(RecordingIndexBenchmark.origin)), ("to", RFC3339Time.format(RecordingIndexBenchmark.origin + Int64(playbackSegments) * 60_000_000))]
            // The anchor: the same files downloaded as they are, one after the other.
            let page = try await client.get("/v1/channels/playback/segments", query: span + [("limit", "5000")], as: RecordingsAPI.SegmentPage.self)
            let filesStarted = ContinuousClock.now
            var downloaded: Int64 = 0
            for segment in page.segments { downloaded += try await client.download(segment.file, to: output) { _ in } }
            let filesSeconds = (ContinuousClock.now - filesStarted) / .seconds(1)
            let started = ContinuousClock.now
            let streamed = try await client.download("/v1/channels/playback/playback.mp4", query: span, to: output) { _ in }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            let rate = Double(streamed) / seconds / 1e6
            let fileRate = Double(downloaded) / filesSeconds / 1e6
            BenchReport.line(
                String(
                    format: "playback.mp4 of %d one-minute segments (%.1f MB, remuxed into one stream): %.1f MB/s (%.0f× real time); the files downloaded as they are: %.1f MB/s (playback/files %.2f)",
                    playbackSegments, Double(streamed) / 1e6, rate, Double(playbackSegments) * 60 / seconds, fileRate, rate / fileRate))
            _ = fileBytes
        }
    }
}
