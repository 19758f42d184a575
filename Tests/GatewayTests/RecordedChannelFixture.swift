import Foundation
import Gateway
import HTTPTypes
import Media
import PeerGateTestSupport
import Recording
import SigV4
import Testing

/// A channel with real recordings: a 6 s H.264 + Opus clip made by the ffmpeg CLI, cut at
/// keyframes into three fragmented-MP4 segment files written by `MediaSegmentWriter` and
/// indexed like the recorder does — recording 1 holds segments [0 s, 2 s) and [2 s, 4 s),
/// recording 2, after a 10 s gap, holds [14 s, 16 s) (times from ``start``).
struct RecordedChannelFixture {
    static let channel = "cam-1"
    /// 2026-11-26T10:00:00Z.
    static let start: Int64 = 1_795_687_200_000_000
    let segments: [SegmentRow]
    let recordings: [Int64]
    let videoFramesPerSegment = 60

    init(gateway: GatewayFixture) async throws {
        let directory = gateway.directory
        let clip = directory + "/clip.mkv"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "6", "-c:v", "libx264", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "libopus", clip,
        ])
        #expect(made.status == 0, "\(made.output)")
        let reader = try MediaSourceReader(url: clip)
        var packets: [MediaPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        let index = gateway.environment.recordings
        let paths = gateway.environment.segmentPaths
        let first = try index.startRecording(channel: Self.channel, role: .viewer, videoCodec: "H264", audioCodec: "opus", at: Self.start)
        let second = try index.startRecording(channel: Self.channel, role: .viewer, videoCodec: "H264", audioCodec: "opus", at: Self.start + 14_000_000)
        var rows: [SegmentRow] = []
        for (window, recording, wallStart) in [(0, first, Self.start), (1, first, Self.start + 2_000_000), (2, second, Self.start + 14_000_000)] {
            let from = Int64(window) * 2_000_000
            let slice = packets.filter { $0.presentationMicroseconds >= from && $0.presentationMicroseconds < from + 2_000_000 }
            let keyframe = try #require(slice.first { $0.codec == .h264 && $0.isKeyframe })
            let relative = paths.relativePath(channel: Self.channel, start: wallStart)
            let path = paths.absolute(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let writer = try MediaSegmentWriter(
                path: path, video: .init(codec: .h264, width: 320, height: 240, parameterSets: annexBParameterSets(keyframe.data)),
                audio: .init(codec: .opus, sampleRate: 48_000, channels: 1))
            for packet in slice where packet.presentationMicroseconds >= keyframe.presentationMicroseconds {
                let rebased = MediaPacket(
                    stream: packet.stream, codec: packet.codec, data: packet.data, presentationMicroseconds: packet.presentationMicroseconds - keyframe.presentationMicroseconds,
                    isKeyframe: packet.isKeyframe)
                try writer.write(rebased, durationMicroseconds: packet.codec == .h264 ? 33_333 : 20_000)
            }
            try writer.finish()
            var row = SegmentRow(recordingID: recording, channel: Self.channel, path: relative, start: wallStart, videoCodec: "H264", audioCodec: "opus")
            row.id = try index.openSegment(row)
            row.end = wallStart + 2_000_000
            row.duration = 2_000_000
            row.bytes = writer.bytesWritten
            row.width = 320
            row.height = 240
            row.frames = videoFramesPerSegment
            row.keyframes = 2
            row.state = .complete
            try index.updateSegment(row)
            rows.append(row)
        }
        try index.endRecording(first, at: Self.start + 4_000_000)
        try index.endRecording(second, at: Self.start + 16_000_000)
        segments = rows
        recordings = [first, second]
    }


    /// `Authorization` and `X-Amz-Date` for a request the router test client sends
    /// (authority `localhost`).
    static func signed(_ uri: String, method: String = "GET", gateway: GatewayFixture, headers: HTTPFields = [:], bodyText: String = "") -> HTTPFields {
        let parts = uri.split(separator: "?", maxSplits: 1).map(String.init)
        let credentials = gateway.environment.credentials.accessKeys[0]
        let request = SigV4Request(
            method: method, path: parts[0], query: QueryString.decode(parts.count > 1 ? parts[1] : nil), headers: [("host", "localhost")], body: Array(bodyText.utf8))
        let signature = SigV4Signer(credentials: credentials, scope: SigV4Scope(region: gateway.environment.config.auth.region, service: "kinesisvideo"))
            .sign(request, at: Int(Date().timeIntervalSince1970))
        var fields = headers
        for header in signature.headers { fields[HTTPField.Name(header.name)!] = header.value }
        return fields
    }

    /// A presigned URI (path and query) for `host` (the router test client's is `localhost`).
    static func presigned(
        _ path: String, query: [(name: String, value: String)] = [], gateway: GatewayFixture, host: String = "localhost", expires: Int = 300,
        at time: Int = Int(Date().timeIntervalSince1970)
    ) -> String {
        let credentials = gateway.environment.credentials.accessKeys[0]
        return path + "?"
            + SigV4Signer(credentials: credentials, scope: SigV4Scope(region: gateway.environment.config.auth.region, service: "kinesisvideo"))
            .presignedQuery(SigV4Request(method: "GET", path: path, query: query, headers: [("host", host)]), at: time, expires: expires)
    }
}
