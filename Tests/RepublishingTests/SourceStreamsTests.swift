import Foundation
import Media
import PeerGateTestSupport
import Republishing
import Testing

/// What a source must hold to be republished, read from real files made with ffmpeg.
@Suite struct SourceStreamsTests {
    static func make(_ name: String, _ codecArguments: [String]) async throws -> String {
        let directory = temporaryPath("peergate-source-streams")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        let made = try await ExternalProcess.run("/usr/bin/ffmpeg", [
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "1",
        ] + codecArguments + [path])
        #expect(made.status == 0, "\(made.output)")
        return path
    }

    /// Runs a pump on `path` until it reports opening or losing the source.
    static func firstEvent(_ path: String) async -> SourcePump.Event? {
        let (events, continuation) = AsyncStream<SourcePump.Event>.makeStream()
        let pump = SourcePump(configuration: .init(source: path, backoff: .init(initial: .seconds(5), maximum: .seconds(5)))) { continuation.yield($0) }
        pump.start()
        defer { pump.stop() }
        for await event in events {
            if case .frame = event { continue }
            return event
        }
        return nil
    }

    @Test func bFramesAreRefusedWithAClearMessage() async throws {
        let path = try await Self.make("bframes.mp4", ["-c:v", "libx264", "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "libopus"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try MediaSourceReader(url: path).streams.first?.reordersFrames == true)
        guard case .lost(let reason, _) = await Self.firstEvent(path) else { Issue.record("not refused"); return }
        #expect(reason.contains("B-frames") && reason.contains("-bf 0"), "\(reason)")
    }

    @Test func codecsWebRTCCannotCarryAreNamed() async throws {
        let path = try await Self.make("mpeg4.mkv", ["-c:v", "mpeg4", "-an"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .lost(let reason, _) = await Self.firstEvent(path) else { Issue.record("not refused"); return }
        #expect(reason.contains("no H.264, H.265"), "\(reason)")
    }

    @Test func aBaselineFileOpensWithItsStreams() async throws {
        let path = try await Self.make("baseline.mp4", ["-c:v", "libx264", "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "libopus"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try MediaSourceReader(url: path).streams.first?.reordersFrames == false)
        guard case .opened(let streams) = await Self.firstEvent(path) else { Issue.record("not opened"); return }
        #expect(streams.map(\.codec) == [.h264, .opus])
    }
}
