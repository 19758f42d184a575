import Foundation
import PeerGateTestSupport
import Testing

/// `peergate record` while another process holds the index database's write lock for 8 s,
/// longer than the 5 s busy timeout (a backup, an operator's `sqlite3` shell): media keeps
/// going to disk, the index writes wait and are made once the lock is gone, and at the end
/// every segment is indexed, complete and playable with ≥ 98 % of the frames sent.
@Suite(.serialized) struct RecordDatabaseBusyTests {
    @Test func aLockedIndexDelaysItsRowsButLosesNoMedia() async throws {
        let server = try await ServerProcess()
        let recordings = temporaryPath("peergate-record-busy")
        defer { try? FileManager.default.removeItem(atPath: recordings) }
        #expect(try await server.client(["channels", "create", "record-busy"]).status == 0)
        let credentials = ["--access-key-id", server.accessKeyId, "--secret-access-key", server.secretAccessKey, "--endpoint", server.url()]
        async let master = PythonPeers.run("media_aiortc_master.py", [server.url(), server.accessKeyId, server.secretAccessKey, "record-busy", "20"], timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        let record = try PeergateProcess.start(
            ["record", "--channel", "record-busy", "--duration", "24", "--segment-seconds", "2", "--media-timeout", "4", "--data-dir", recordings] + credentials)
        try await Task.sleep(for: .seconds(6))
        let lock = try await ExternalProcess.run("/usr/bin/python3", [
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10); c.execute('BEGIN EXCLUSIVE'); time.sleep(8); c.execute('COMMIT'); print('held')",
            recordings + "/peergate.sqlite",
        ], timeout: .seconds(30))
        #expect(lock.status == 0 && lock.output.contains("held"), "\(lock.output)")
        let result = try await master
        let finished = try await record.finish(timeout: .seconds(60))
        try await server.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(1000))")
        #expect(finished.status == 0, "\(finished.stderr.suffix(1500))")
        let recorded = try await RecordAiortcTests.checkSegments(dataDir: recordings, channel: "record-busy")
        let sent = Int(result.checks.first { $0.name == "video frames sent" }?.detail ?? "") ?? 0
        #expect(sent > 400 && Double(recorded.decodedFrames) >= 0.98 * Double(sent), "decoded \(recorded.decodedFrames) of \(sent); \(finished.stderr.suffix(1500))")
        // No file without its row.
        let files = FileManager.default.enumerator(atPath: recordings + "/recordings")?.compactMap { $0 as? String }.filter { $0.hasSuffix(".mp4") } ?? []
        #expect(files.count == recorded.segments.count, "\(files.count) files, \(recorded.segments.count) rows")
    }
}
