import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import PeerGateTestSupport
import Recording
import RecordingsAPI
import Testing

/// Playback of a span across segments and across the gap between recordings: one
/// fragmented MP4 with continuous timestamps, and an HLS playlist, both read by ffprobe
/// (over real HTTP, from presigned URLs, as a player given one link would).
@Suite struct PlaybackRoutesTests {
    func time(_ seconds: Double) -> String { RFC3339Time.format(RecordedChannelFixture.start + Int64(seconds * 1_000_000)) }

    /// The video frames ffprobe decodes from `url` and the time of the last one (a stream
    /// has no duration in its header to ask for), with its error output.
    func probe(_ url: String) async throws -> (videoFrames: Int, lastFrame: Double, errors: String) {
        let result = try await ExternalProcess.run("/usr/bin/ffprobe", [
            "-v", "error", "-protocol_whitelist", "file,http,tcp,crypto,data", "-select_streams", "v:0",
            "-show_entries", "frame=pts_time", "-of", "csv=p=0", url,
        ])
        let times = result.output.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces).split(separator: ",").first ?? "") }
        let errors = result.output.split(separator: "\n").filter { Double($0.trimmingCharacters(in: .whitespaces).split(separator: ",").first ?? "") == nil }
        return (times.count, times.max() ?? 0, errors.joined(separator: "\n"))
    }

    @Test func mp4SpansSegmentsAndTheGapWithContinuousTime() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.live) { client in
            let host = "127.0.0.1:\(client.port!)"
            let path = "/v1/channels/cam-1/playback.mp4"
            // Everything: 3 segments × 2 s, the 10 s gap closed up.
            let all = RecordedChannelFixture.presigned(path, query: [("from", time(0)), ("to", time(30))], gateway: gateway, host: host)
            let whole = try await probe("http://\(host)\(all)")
            #expect(whole.videoFrames == 3 * recorded.videoFramesPerSegment, "\(whole.errors)")
            #expect(abs(whole.lastFrame - (6 - 1.0 / 30)) < 0.05, "last frame at \(whole.lastFrame) s")
            // From 2.5 s: starts at the keyframe at 2 s (keyframes every second).
            let later = RecordedChannelFixture.presigned(path, query: [("from", time(2.5)), ("to", time(15))], gateway: gateway, host: host)
            let partial = try await probe("http://\(host)\(later)")
            // 2–4 s, then 14–15 s (the span ends at 15 s).
            #expect(partial.videoFrames == 60 + 30, "\(partial.errors)")
            #expect(abs(partial.lastFrame - (3 - 1.0 / 30)) < 0.05, "last frame at \(partial.lastFrame) s")
            // Decodes without a single error.
            let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", "http://\(host)\(all)", "-f", "null", "-"])
            #expect(decode.status == 0 && decode.output.isEmpty, "\(decode.output)")
        }
    }

    @Test func hlsPlaylistCrossingTheGapPlays() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.live) { client in
            let host = "127.0.0.1:\(client.port!)"
            let path = "/v1/channels/cam-1/playback.m3u8"
            let span = [("from", time(1)), ("to", time(30))]
            let playlist = RecordedChannelFixture.presigned(path, query: span, gateway: gateway, host: host)
            // The test client's requests carry the authority `localhost`.
            let text = try await client.execute(uri: RecordedChannelFixture.presigned(path, query: span, gateway: gateway), method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.apple.mpegurl")
                return String(buffer: response.body)
            }
            let lines = text.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("#EXT-X-MAP:") }.count == 3)
            // Segments 1 and 2 continue each other; the gap before 3 is the one discontinuity.
            #expect(lines.filter { $0 == "#EXT-X-DISCONTINUITY" }.count == 1)
            #expect(lines.contains("#EXT-X-PROGRAM-DATE-TIME:\(time(14))"))
            // From 1 s: the first file's first fragment (0–1 s) is left out.
            #expect(lines.filter { $0.hasPrefix("#EXTINF:") }.count >= 5)
            #expect(lines.filter { $0.hasPrefix("/v1/segments/") }.allSatisfy { $0.contains("X-Amz-Signature=") })
            let played = try await probe("http://\(host)\(playlist)")
            #expect(played.videoFrames == 6 * 30, "\(played.errors)")
            // One timeline from the span's first file: the last frame is 16 s after the start.
            #expect(abs(played.lastFrame - (16 - 1.0 / 30)) < 0.05, "last frame at \(played.lastFrame) s")
            _ = recorded
        }
    }

    @Test func emptySpansAndWrongContainersAreClearErrors() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        _ = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/v1/channels/cam-1/playback.mp4?from=\(time(5))&to=\(time(13))", .notFound, "nothing of cam-1 was recorded"),
                ("/v1/channels/other/playback.m3u8", .notFound, "nothing of other"),
                ("/v1/channels/cam-1/playback.webm", .unsupportedMediaType, "ask for playback.mp4"),
                ("/v1/channels/cam-1/playback.mp4?from=\(time(9))&to=\(time(1))", .badRequest, "must be before"),
            ]
            for (uri, status, words) in cases {
                try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway)) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(String(buffer: response.body).contains(words), "\(uri): \(String(buffer: response.body))")
                }
            }
        }
    }
}
