import Foundation
import MediaFiles
import PeerGateTestSupport
import Testing

/// The elementary-stream files `peergate join` writes, read back by ffprobe and ffmpeg.
@Suite struct MediaFilesTests {
    static func probe(_ file: String, _ entries: String) async throws -> String {
        try await ExternalProcess.run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-show_entries", entries, "-of", "default=nw=1", file], timeout: .seconds(60)).output
    }

    @Test func oggOpusFileHasTheRightDurationAndDecodes() async throws {
        let file = temporaryPath("peergate-opus") + ".ogg"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var writer = OggOpusWriter(channels: 1, serial: 7)
        // 100 CELT fullband 20 ms packets (TOC config 31, mono, one frame; RFC 6716 §3.1).
        for _ in 0..<100 { writer.append([0xF8, 0xFF, 0xFE]) }
        try Data(writer.file).write(to: URL(filePath: file))
        let info = try await Self.probe(file, "stream=codec_name,channels,sample_rate:format=duration")
        #expect(info.contains("codec_name=opus") && info.contains("sample_rate=48000") && info.contains("channels=1"), "\(info)")
        #expect(info.contains("duration=2.000000"), "\(info)")
        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], timeout: .seconds(60))
        #expect(decode.status == 0 && decode.output.isEmpty, "\(decode.output)")
    }

    @Test func ivfFileOfVP8FramesDecodesFrameForFrame() async throws {
        let source = temporaryPath("peergate-vp8-source") + ".ivf"
        let rewritten = temporaryPath("peergate-vp8") + ".ivf"
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: rewritten)
        }
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "2", "-c:v", "libvpx", "-g", "30", "-f", "ivf", source,
        ])
        #expect(made.status == 0, "\(made.output)")
        let frames = Self.ivfFrames(Array(try Data(contentsOf: URL(filePath: source))))
        #expect(frames.count == 60)
        var writer = IVFWriter()
        for (index, frame) in frames.enumerated() { writer.append(frame, rtpTimestamp: UInt32(1_000_000 + index * 3000)) }
        try Data(writer.file).write(to: URL(filePath: rewritten))
        let info = try await Self.probe(rewritten, "stream=codec_name,width,height,nb_read_frames")
        #expect(info.contains("codec_name=vp8") && info.contains("width=320") && info.contains("height=240") && info.contains("nb_read_frames=60"), "\(info)")
        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", rewritten, "-f", "null", "-"], timeout: .seconds(60))
        #expect(decode.status == 0 && decode.output.isEmpty, "\(decode.output)")
    }

    /// The frames of an IVF file (32-byte header, then 12-byte frame headers).
    static func ivfFrames(_ bytes: [UInt8]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var offset = 32
        while offset + 12 <= bytes.count {
            let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            guard offset + 12 + size <= bytes.count else { break }
            frames.append(Array(bytes[(offset + 12)..<(offset + 12 + size)]))
            offset += 12 + size
        }
        return frames
    }
}
