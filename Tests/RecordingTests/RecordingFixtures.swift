import Foundation
import Media
import PeerGateTestSupport
import Recording
import Storage
import Testing

/// Media made with the ffmpeg CLI and read back with `MediaSourceReader`, and a fresh data
/// directory with a migrated database.
enum RecordingFixtures {
    /// `seconds` of 30 fps video (keyframe every `gop` frames) and, with `audio`, Opus.
    static func source(in directory: String, codec: String = "libx264", size: String = "320x240", seconds: Int = 3, gop: Int = 30, audio: Bool = true, name: String = "source.mkv") async throws -> [MediaPacket] {
        let path = directory + "/" + name
        var arguments = ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=\(size):rate=30"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", "\(seconds)", "-c:v", codec, "-g", "\(gop)", "-pix_fmt", "yuv420p"]
        if codec == "libx264" { arguments += ["-bf", "0"] }
        if codec == "libx265" { arguments += ["-x265-params", "bframes=0:log-level=error"] }
        if audio { arguments += ["-c:a", "libopus"] }
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", arguments + [path])
        #expect(made.status == 0, "\(made.output)")
        let reader = try MediaSourceReader(url: path)
        var packets: [MediaPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        return packets
    }

    static func dataDirectory(_ prefix: String) throws -> (directory: String, database: PeerGateDatabase) {
        let directory = temporaryPath(prefix)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (directory, try PeerGateDatabase.open(dataDir: directory, migrations: Migration.bundled()))
    }

    /// Frames decoded by ffmpeg from a file, and its error output (empty when clean).
    static func decode(_ path: String) async throws -> (videoFrames: Int, errors: String) {
        let decode = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"])
        let probe = try await ExternalProcess.run("/usr/bin/ffprobe", [
            "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path,
        ])
        let frames = Int(probe.output.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
        return (frames, decode.status == 0 ? decode.output : "exit \(decode.status): \(decode.output)")
    }
}
