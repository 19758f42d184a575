import Foundation
import Logging
import Recording
import Storage
import Testing

/// Retention deletes files and rows together: by age (the channel's own limit or the
/// default), then oldest first while free space is short; never an open segment.
@Suite struct RecordingRetentionTests {
    static let day: Int64 = 86_400_000_000
    static let now: Int64 = 1_795_689_900_000_000

    /// Segments of `bytes` each at the given ages (days), with files.
    static func populate(_ index: RecordingIndex, _ paths: SegmentPaths, channel: String, agesInDays: [Double], state: SegmentRow.State = .complete) throws -> [Int64] {
        let recording = try index.startRecording(channel: channel, role: .viewer, videoCodec: "H264", audioCodec: nil, at: now - 30 * day)
        return try agesInDays.map { age in
            let start = now - Int64(age * Double(day))
            let relative = paths.relativePath(channel: channel, start: start)
            try FileManager.default.createDirectory(atPath: (paths.absolute(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(count: 1000).write(to: URL(fileURLWithPath: paths.absolute(relative)))
            return try index.openSegment(
                SegmentRow(recordingID: recording, channel: channel, path: relative, start: start, end: start + 60_000_000, duration: 60_000_000, bytes: 1000, videoCodec: "H264", audioCodec: nil, state: state))
        }
    }

    @Test func deletesByAgeThenByFreeSpaceFilesAndRowsTogether() throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-retention")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let index = RecordingIndex(database: database)
        let paths = SegmentPaths(dataDirectory: directory)
        let lobby = try Self.populate(index, paths, channel: "lobby", agesInDays: [10, 5, 2, 0.5])
        let door = try Self.populate(index, paths, channel: "door", agesInDays: [10, 5, 2, 0.5])
        let open = try Self.populate(index, paths, channel: "door", agesInDays: [20], state: .open)
        let policy = RecordingRetention.Policy(maxAge: .seconds(3 * 86_400), channelMaxAge: ["door": .seconds(7 * 86_400)], minFreeBytes: 10_000)
        let byAge = try RecordingRetention(index: index, paths: paths, policy: policy, logger: Logger(label: "test"), freeBytes: { 1 << 40 }).run(now: Self.now)
        // lobby: 10 and 5 days old (the default 3 days); door: 10 days (its own 7 days).
        #expect(byAge.deletedForAge == 3 && byAge.deletedForSpace == 0)
        func left(_ ids: [Int64]) throws -> [Int64] { try ids.filter { try index.segment($0) != nil } }
        #expect(try left(lobby) == [lobby[2], lobby[3]] && left(door) == [door[1], door[2], door[3]] && left(open) == open)

        // 2,500 bytes short; each deleted segment frees its 1,000: the three oldest go, an open one never.
        let remaining: @Sendable () -> Int64 = { Int64((try? index.oldestSegments(limit: 100).count) ?? 0) }
        let spacePolicy = RecordingRetention.Policy(maxAge: nil, minFreeBytes: 10_000)
        let bySpace = try RecordingRetention(index: index, paths: paths, policy: spacePolicy, logger: Logger(label: "test"), freeBytes: { 7_500 + (5 - remaining()) * 1000 })
            .run(now: Self.now)
        #expect(bySpace.deletedForSpace == 3 && bySpace.freedBytes == 3000 && !bySpace.stillShort)
        #expect(try left(door + lobby + open) == [door[3], lobby[3]] + open)
        let files = FileManager.default.enumerator(atPath: paths.root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".mp4") } ?? []
        #expect(files.count == 3)  // door and lobby 0.5 days old, and the open one
    }

    @Test func reportsWhenNothingIsLeftToDelete() throws {
        let (directory, database) = try RecordingFixtures.dataDirectory("peergate-retention-short")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let index = RecordingIndex(database: database)
        let paths = SegmentPaths(dataDirectory: directory)
        _ = try Self.populate(index, paths, channel: "lobby", agesInDays: [1], state: .open)
        let report = try RecordingRetention(index: index, paths: paths, policy: .init(maxAge: nil, minFreeBytes: 10_000), logger: Logger(label: "test"), freeBytes: { 10 }).run(now: Self.now)
        #expect(report.stillShort && report.deletedForSpace == 0)
    }
}
