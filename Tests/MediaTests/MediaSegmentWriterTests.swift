import Foundation
import Media
import PeerGateTestSupport
import Testing

/// `MediaSegmentWriter` re-muxes what `MediaSourceReader` reads (H.264 Annex B + Opus) into
/// a fragmented MP4 that ffprobe and ffmpeg accept: both tracks, every video frame,
/// fragments of at most a second that start at keyframes.
@Suite struct MediaSegmentWriterTests {
    @Test func remuxedH264AndOpusPlayAsFragmentedMP4() async throws {
        let directory = temporaryPath("peergate-fmp4")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/source.mp4"
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3", "-c:v", "libx264", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "libopus", source,
        ])
        #expect(made.status == 0, "\(made.output)")
        let reader = try MediaSourceReader(url: source)
        var packets: [MediaPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        let keyframe = try #require(packets.first { $0.codec == .h264 && $0.isKeyframe })
        let output = directory + "/segment.mp4"
        let writer = try MediaSegmentWriter(
            path: output,
            video: .init(codec: .h264, width: 320, height: 240, parameterSets: annexBParameterSets(keyframe.data)),
            audio: .init(codec: .opus, sampleRate: 48_000, channels: 1))
        for packet in packets where packet.presentationMicroseconds >= 0 { try writer.write(packet) }
        try writer.finish()

        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", output, "-f", "null", "-"])
        #expect(decode.status == 0 && decode.output.isEmpty, "\(decode.output)")
        let probe = try await ExternalProcess.run("/usr/bin/ffprobe", [
            "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", output,
        ])
        let streams = probe.output.split(separator: "\n").map(String.init)
        #expect(streams.contains("h264,90"), "\(streams)")
        #expect(streams.contains { $0.hasPrefix("opus,") }, "\(streams)")
        // One moof per keyframe (every 30 frames = 1 s): three fragments.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        let moof = Data("moof".utf8)
        var fragments = 0
        var range = bytes.startIndex..<bytes.endIndex
        while let found = bytes.range(of: moof, in: range) {
            fragments += 1
            range = found.upperBound..<bytes.endIndex
        }
        #expect(fragments >= 3 && fragments <= 6, "\(fragments) fragments")
    }
}
