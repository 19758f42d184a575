import Foundation
import Logging
import PeerGateTestSupport
import Recording
import Storage
import Testing

/// `peergate record` onto a file system that fills up (a small tmpfs mounted over
/// `<dataDir>/recordings`, 40 KiB: aiortc's still test picture makes about 2.5 KB/s; the
/// database stays on the normal disk): the segment being written
/// is closed with what reached the disk, every indexed segment still plays and matches its
/// file, and once retention frees space recording resumes in new segments.
@Suite(.serialized) struct RecordDiskFullTests {
    @Test func aFullDiskClosesTheSegmentAndRecordingResumesWhenSpaceReturns() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record-full")
        let mountPoint = recordings + "/recordings"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try await ExternalProcess.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=40k", "tmpfs", mountPoint])
        try #require(mounted.status == 0, "cannot mount a tmpfs (the tests run as root): \(mounted.output)")
        defer {
            if let umount = try? Process.run(URL(fileURLWithPath: "/usr/bin/umount"), arguments: ["-l", mountPoint]) { umount.waitUntilExit() }
            try? FileManager.default.removeItem(atPath: recordings)
        }
        #expect(try await server.client(["channels", "create", "record-full"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-full", "30"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        let record = try PeergateProcess.start(
            ["record", "--channel", "record-full", "--duration", "34", "--segment-seconds", "2", "--media-timeout", "10", "--data-dir", recordings] + credentials)
        // Wait for the disk to fill.
        var full = false
        for _ in 0..<300 where !full {
            try await Task.sleep(for: .milliseconds(100))
            full = (RecordingRetention.freeBytes(at: mountPoint) ?? .max) < 4096
        }
        #expect(full, "the tmpfs never filled up")
        try await Task.sleep(for: .seconds(2))
        // Space returns: retention deletes the oldest segments (files and rows).
        let database = try PeerGateDatabase.open(dataDir: recordings, migrations: Migration.bundled())
        let index = RecordingIndex(database: database)
        let freedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let retention = RecordingRetention(
            index: index, paths: SegmentPaths(dataDirectory: recordings), policy: .init(maxAge: nil, minFreeBytes: 20 * 1024), logger: Logger(label: "test"))
        let report = try retention.run(now: freedAt)
        #expect(report.deletedForSpace > 0 && !report.stillShort, "\(report)")
        let result = try await master
        let finished = try await record.finish(timeout: .seconds(60))
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1000))")
        #expect(finished.status == 0, "\(finished.stderr.suffix(1500))")
        #expect(finished.stderr.contains("No space left on device"), "\(finished.stderr.suffix(1500))")
        let recorded = try await RecordAiortcTests.checkSegments(dataDir: recordings, channel: "record-full")
        #expect(recorded.segments.contains { $0.start > freedAt }, "no segment after space returned: \(recorded.segments.map(\.start)) vs \(freedAt)")
    }
}
