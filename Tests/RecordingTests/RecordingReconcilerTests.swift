import Foundation
import Logging
import Media
import Recording
import Storage
import Testing
import MediaFiles

/// Start-up reconciliation after what a crash leaves: a segment still `open` whose file
/// ends in half a fragment, a recording still `recording`, a file without a row (with
/// fragments, and with a header only), a row without a file, and a stray file that is not
/// a segment.
@Suite struct RecordingReconcilerTests {
    @Test func indexMatchesTheDiskAfterReconciliation() async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-reconcile")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, seconds: 3, gop: 15)
        let recorder = ChannelRecorderTests.recorder(directory, database)
        ChannelRecorderTests.feed(packets, to: recorder)
        recorder.stop(at: ChannelRecorderTests.t0 + 3_000_000)
        let index = RecordingIndex(database: database)
        let recordingID = try #require(recorder.recordingID)
        let segments = try index.segments(recording: recordingID)
        try #require(segments.count == 3)

        // The last segment as kill -9 leaves it: row open, file cut inside its last fragment.
        var crashed = segments[2]
        let crashedPath = directory + "/" + crashed.path
        let handle = try #require(FileHandle(forUpdatingAtPath: crashedPath))
        try handle.truncate(atOffset: UInt64(crashed.bytes - 700))
        try handle.close()
        crashed.state = .open
        crashed.duration = 0
        try index.updateSegment(crashed)
        try await database.pool.write { try $0.execute(sql: "UPDATE recordings SET state = 'recording', ended_at_us = NULL") }
        // A file with no row (a copy of the first segment, an hour later), a row whose file
        // is gone, and a stray file.
        let orphan = SegmentPaths(dataDirectory: directory).relativePath(channel: "cam/1", start: segments[0].start + 3_600_000_000)
        try FileManager.default.createDirectory(atPath: (directory + "/" + orphan as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory + "/" + segments[0].path, toPath: directory + "/" + orphan)
        try FileManager.default.removeItem(atPath: directory + "/" + segments[1].path)
        // A segment killed before its first fragment reached the disk: header only, row open.
        let whole = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + segments[0].path))
        let firstFragment = try #require(whole.range(of: Data("moof".utf8))).lowerBound - 4
        let empty = SegmentPaths(dataDirectory: directory).relativePath(channel: "cam/1", start: segments[0].start + 7_200_000_000)
        try whole.prefix(firstFragment).write(to: URL(fileURLWithPath: directory + "/" + empty))
        let emptyID = try index.openSegment(SegmentRow(recordingID: recordingID, channel: "cam/1", path: empty, start: segments[0].start + 7_200_000_000, videoCodec: "H264", audioCodec: nil))
        // One killed after making its file, before its row: header only, no row.
        let emptyOrphan = SegmentPaths(dataDirectory: directory).relativePath(channel: "cam/1", start: segments[0].start + 9_000_000_000)
        try whole.prefix(firstFragment).write(to: URL(fileURLWithPath: directory + "/" + emptyOrphan))
        let stray = "recordings/cam_2f_1/notes.mp4"
        try Data("not a segment".utf8).write(to: URL(fileURLWithPath: directory + "/" + stray))

        let report = try RecordingReconciler(index: index, paths: SegmentPaths(dataDirectory: directory), logger: Logger(label: "test")).run()
        #expect(report.closedSegments == 1 && report.interruptedRecordings == 1 && report.indexedOrphans == 1 && report.markedMissing == 1)
        #expect(report.trimmedBytes > 0 && report.unreadableFiles == [stray] && report.removedEmpty == 2)
        #expect(try index.segment(emptyID) == nil && !(try index.allSegmentPaths()).contains(empty))
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + empty))
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + emptyOrphan))
        #expect(try !index.allSegmentPaths().contains(emptyOrphan))

        let repaired = try #require(try index.segment(crashed.id))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: crashedPath)[.size] as? Int)
        #expect(repaired.state == .complete && repaired.bytes == Int64(size))
        #expect(repaired.duration > 0 && repaired.duration < segments[2].duration)
        let decoded = try await RecordingFixtures.decode(crashedPath)
        #expect(decoded.errors.isEmpty && decoded.videoFrames > 0, "\(decoded.errors)")
        #expect(try index.segment(segments[1].id)?.state == .missing)
        #expect(try index.recording(recordingID)?.state == .interrupted)
        let recovered = try index.segments(channel: "cam/1", from: segments[0].start + 3_600_000_000, to: segments[0].start + 3_700_000_000)
        #expect(recovered.map(\.path) == [orphan])
        #expect(recovered.first.map { abs($0.duration - segments[0].duration) <= 40_000 } == true)
        // A second run finds nothing to do.
        let again = try RecordingReconciler(index: index, paths: SegmentPaths(dataDirectory: directory), logger: Logger(label: "test")).run()
        var expected = RecordingReconciler.Report()
        expected.unreadableFiles = [stray]
        #expect(again == expected)
    }

    /// Cut anywhere, a segment file (MP4, or WebM for VP8) scans to a prefix of whole
    /// fragments that still plays.
    @Test(arguments: [MediaCodec.h264, .vp8])
    func everyCutOfASegmentRepairsToAPlayablePrefix(codec: MediaCodec) async throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-repair")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packets = try await RecordingFixtures.source(in: directory, codec: codec == .vp8 ? "libvpx" : "libx264", seconds: 2, gop: 10, audio: false)
        let recorder = ChannelRecorderTests.recorder(directory, database, segmentSeconds: 60, video: codec)
        ChannelRecorderTests.feed(packets, to: recorder, video: codec)
        recorder.stop(at: ChannelRecorderTests.t0 + 2_000_000)
        let recordingID = try #require(recorder.recordingID)
        let segment = try #require(try RecordingIndex(database: database).segments(recording: recordingID).first)
        let whole = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + segment.path))
        var lastDuration: Int64 = -1
        for cut in stride(from: 0, to: whole.count, by: max(whole.count / 40, 1)) {
            let bytes = [UInt8](whole.prefix(cut))
            let read = { (offset: Int64, count: Int) -> [UInt8]? in
                guard offset >= 0, offset < Int64(bytes.count) else { return nil }
                return Array(bytes[Int(offset)..<min(Int(offset) + count, bytes.count)])
            }
            // nil before the header (moov, Tracks) is whole.
            let scan = codec == .vp8
                ? (try? MatroskaScan(length: Int64(bytes.count), read: read)).map { ($0.validLength, $0.durationMicros, $0.fragments) }
                : (try? FragmentedMP4Scan(length: Int64(bytes.count), read: read)).map { ($0.validLength, $0.durationMicros, $0.fragments) }
            guard let scan else { continue }
            #expect(scan.0 <= Int64(cut) && scan.1 >= lastDuration)
            lastDuration = scan.1
            // The whole-fragment prefix plays (checked at a few cuts: ffmpeg is slow).
            if cut / max(whole.count / 40, 1) % 10 == 5, scan.2 > 0 {
                let prefix = directory + "/prefix." + (codec == .vp8 ? "webm" : "mp4")
                try Data(bytes.prefix(Int(scan.0))).write(to: URL(fileURLWithPath: prefix))
                let decoded = try await RecordingFixtures.decode(prefix)
                #expect(decoded.errors.isEmpty && decoded.videoFrames > 0, "cut at \(cut): \(decoded.errors)")
            }
        }
        #expect(lastDuration > 1_500_000)
    }
}
