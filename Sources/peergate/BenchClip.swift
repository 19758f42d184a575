import Foundation

/// The benchmarks' source media.
enum BenchClip {
    /// A 720p H.264 (baseline, no B-frames, a keyframe every 2 s) + Opus clip at `bitrate`:
    /// MP4, or MPEG-TS (`transportStream`) for aiortc's pass-through player.
    static func make(in directory: String, transportStream: Bool = false, seconds: Int = 10, bitrate: Int) throws -> String {
        let path = directory + (transportStream ? "/clip.ts" : "/clip.mp4")
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/ffmpeg")
        process.arguments = [
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "\(seconds)",
            "-c:v", "libx264", "-preset", transportStream ? "veryfast" : "medium", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "60", "-b:v", "\(bitrate)", "-maxrate", "\(bitrate)",
            "-bufsize", "\(bitrate / 2)", "-c:a", "libopus", "-b:a", "32000", "-f", transportStream ? "mpegts" : "mp4", path,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RuntimeFailure(message: "ffmpeg could not make the clip") }
        return path
    }
}
