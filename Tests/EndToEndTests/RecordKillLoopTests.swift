import Foundation
import PeerGateTestSupport
import Recording
import Storage
import Testing

/// `kill -9` of the recorder at random points, twenty times in a row on one data
/// directory: each start reconciles what the previous run left, and at the end the index
/// matches the disk — every row complete with its file's size, every file decodable with
/// its indexed duration, no file without a row.
@Suite(.serialized) struct RecordKillLoopTests {
    @Test func twentyKillsAtRandomPointsLeaveAnIndexThatMatchesTheDisk() async throws {
        let (directory, clip) = try await RepublishAiortcTests.clip(seconds: 4)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recordings = temporaryPath("peergate-kill-loop")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        let server = try await ServerProcess(arguments: ["--create-channel", "kill-loop"])
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        let publisher = try PeergateProcess.start(
            ["publish", "--channel", "kill-loop", "--source", clip, "--loop", "--duration", "150", "--data-dir", server.dataDir] + credentials)
        try await Task.sleep(for: .seconds(1.5))
        var random = SystemRandomNumberGenerator()
        var delays: [Int] = []
        for _ in 0..<20 {
            let record = try PeergateProcess.start(["record", "--channel", "kill-loop", "--segment-seconds", "1", "--data-dir", recordings] + credentials)
            // From before the first whole fragment (the recorder needs about a second to connect)
            // to a few fragments in.
            let delay = Int.random(in: 800...4500, using: &random)
            delays.append(delay)
            try await Task.sleep(for: .milliseconds(delay))
            record.signal(SIGKILL)
            _ = try await record.finish(timeout: .seconds(10))
        }
        // The last start reconciles the twentieth kill (and finds the master still there).
        let last = try await PeergateProcess.run(["record", "--channel", "kill-loop", "--duration", "2", "--data-dir", recordings] + credentials, timeout: .seconds(30))
        publisher.signal(SIGTERM)
        _ = try await publisher.finish(timeout: .seconds(20))
        try await server.stop()
        #expect(last.status == 0, "\(last.stderr.suffix(1500))")

        let recorded = try await RecordAiortcTests.checkSegments(dataDir: recordings, channel: "kill-loop")
        #expect(recorded.segments.count >= 10, "\(recorded.segments.count) segments after kills at \(delays) ms")
        let indexed = Set(recorded.segments.map(\.path))
        let root = URL(filePath: recordings)
        let files = (FileManager.default.enumerator(atPath: root.appending(path: "recordings").path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".mp4") }.map { "recordings/" + $0 }
        #expect(Set(files) == indexed, "files without rows: \(Set(files).subtracting(indexed)); rows without files: \(indexed.subtracting(Set(files)))")
    }
}
