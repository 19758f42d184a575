import Foundation
import Glibc
import Media
import PeerGateTestSupport
import Testing

/// `MediaSourceReader` on files the ffmpeg CLI makes: MP4 and MKV with H.264/H.265 and
/// Opus/PCMU, raw Annex B; Annex B output with parameter sets before keyframes; timestamps;
/// clear errors for bad sources and a timeout for a source that never answers.
@Suite struct MediaSourceReaderTests {
    static func make(_ name: String, _ arguments: [String]) async throws -> String {
        let directory = temporaryPath("peergate-media")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] + arguments + [path])
        #expect(made.status == 0, "\(made.output)")
        return path
    }

    static func readAll(_ reader: MediaSourceReader) throws -> [MediaPacket] {
        var packets: [MediaPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        return packets
    }

    /// The NAL unit types of an Annex B access unit (H.264: low 5 bits of the first byte).
    static func nalTypes(_ unit: [UInt8], h265: Bool = false) -> [UInt8] {
        var types: [UInt8] = []
        var index = 0
        while index + 3 < unit.count {
            if unit[index] == 0, unit[index + 1] == 0, unit[index + 2] == 1 {
                types.append(h265 ? (unit[index + 3] >> 1) & 0x3F : unit[index + 3] & 0x1F)
                index += 3
            } else {
                index += 1
            }
        }
        return types
    }

    @Test func mp4WithH264AndOpusComesOutAsAnnexBFramesAndOpusPackets() async throws {
        let path = try await Self.make("clip.mp4", ["-t", "2", "-c:v", "libx264", "-profile:v", "baseline", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-b:a", "48k"])
        let reader = try MediaSourceReader(url: path)
        #expect(reader.streams.map(\.codec) == [.h264, .opus])
        #expect(reader.streams[0].width == 320 && reader.streams[0].height == 240)
        #expect(reader.streams[1].sampleRate == 48_000)
        let duration = try #require(reader.durationMicroseconds)
        #expect(abs(duration - 2_000_000) < 100_000)
        let packets = try Self.readAll(reader)
        let video = packets.filter { $0.codec == .h264 }
        let audio = packets.filter { $0.codec == .opus }
        #expect(video.count == 60)
        #expect(audio.count >= 99 && audio.count <= 101)  // 20 ms frames
        #expect(video.filter(\.isKeyframe).count == 2)
        for frame in video where frame.isKeyframe {
            let types = Self.nalTypes(frame.data)
            #expect(types.contains(7) && types.contains(8) && types.contains(5), "keyframe NAL types \(types)")
        }
        let videoTimes = video.map(\.presentationMicroseconds)
        #expect(videoTimes.first == 0)
        #expect(zip(videoTimes, videoTimes.dropFirst()).allSatisfy { abs($1 - $0 - 33_333) <= 1 })
        // Opus in MP4 starts before 0 by its pre-skip (312 samples at 48 kHz here).
        #expect(audio.first?.presentationMicroseconds == -6_500)
        #expect(audio.allSatisfy { $0.presentationMicroseconds < 2_000_000 })
    }

    @Test func mkvWithH265AndPCMU() async throws {
        let path = try await Self.make("clip.mkv", ["-t", "1", "-c:v", "libx265", "-x265-params", "log-level=error:bframes=0:keyint=15", "-pix_fmt", "yuv420p", "-c:a", "pcm_mulaw", "-ar", "8000"])
        let reader = try MediaSourceReader(url: path)
        #expect(reader.streams.map(\.codec) == [.h265, .pcmu])
        let packets = try Self.readAll(reader)
        let video = packets.filter { $0.codec == .h265 }
        #expect(video.count == 30)
        let first = try #require(video.first)
        #expect(first.isKeyframe)
        let types = Self.nalTypes(first.data, h265: true)
        #expect(types.contains(32) && types.contains(33) && types.contains(34), "VPS/SPS/PPS before the keyframe: \(types)")
        #expect(packets.contains { $0.codec == .pcmu && !$0.data.isEmpty })
    }

    /// Raw Annex B has no timestamps: frames are timed by their durations (from the
    /// stream's timing information, or the `framerate` option when it has none).
    @Test func rawH264FramesAreTimedByTheirDurations() async throws {
        let path = try await Self.make("clip.h264", ["-t", "1", "-an", "-c:v", "libx264", "-bf", "0", "-g", "10", "-f", "h264"])
        let reader = try MediaSourceReader(url: path, options: MediaSourceOptions(formatOptions: ["framerate": "10"]))
        #expect(reader.streams.map(\.codec) == [.h264])
        let video = try Self.readAll(reader)
        #expect(video.count == 30)
        #expect(video.filter(\.isKeyframe).count == 3)
        let times = video.map(\.presentationMicroseconds)
        #expect(times.first == 0)
        #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 33_333) <= 1 }, "\(times.prefix(4))")
    }

    @Test func missingAndNonMediaSourcesFailWithClearErrors() async throws {
        #expect {
            _ = try MediaSourceReader(url: "/nonexistent/clip.mp4")
        } throws: { error in
            guard case .library(_, _, let message) = error as? MediaError else { return false }
            return message.contains("No such file")
        }
        let text = temporaryPath("peergate-media-text") + ".txt"
        try Data("not media at all\n".utf8).write(to: URL(fileURLWithPath: text))
        defer { try? FileManager.default.removeItem(atPath: text) }
        #expect(throws: MediaError.self) { _ = try MediaSourceReader(url: text) }
    }

    @Test func audioOnlySourceOfAnUnusableCodecIsRefused() async throws {
        let path = try await Self.make("tone.wav", ["-t", "0.2", "-map", "1:a", "-c:a", "pcm_s16le"])
        #expect(throws: MediaError.noUsableStream(path)) { _ = try MediaSourceReader(url: path) }
    }

    @Test func aSourceThatNeverAnswersTimesOut() async throws {
        // A listening socket nobody accepts on: the TCP connect succeeds, RTSP never answers.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let started = ContinuousClock.now
        #expect(throws: MediaError.timedOut(operation: "opening rtsp://127.0.0.1:\(port)/camera")) {
            _ = try MediaSourceReader(url: "rtsp://127.0.0.1:\(port)/camera", options: MediaSourceOptions(openTimeout: .milliseconds(500)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(5))
    }
}
