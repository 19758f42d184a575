import Foundation
import GRDB
import Storage

/// `peergate bench index`: a generated index of `segments` one-minute segments spread over
/// `channels` channels, then listings of one whole day of one channel (the recordings API's
/// commonest query), timed. Goal: ≤ 20 ms for a day out of 1,000,000 segments.
public enum RecordingIndexBenchmark {
    public struct Result: Sendable {
        public var segments: Int
        public var generateSeconds: Double
        public var segmentsPerDay: Int
        public var queries: Int
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var databaseBytes: Int64
    }

    /// 2026-01-01T00:00:00Z: the generated index's first segment.
    public static let origin: Int64 = 1_767_225_600_000_000
    static let minute: Int64 = 60_000_000

    public static func run(directory: String, segments: Int, channels: Int, queries: Int) throws -> Result {
        let database = try PeerGateDatabase.open(dataDir: directory, migrations: Migration.bundled())
        let index = RecordingIndex(database: database)
        let start = ContinuousClock.now
        let perChannel = try generate(database, segments: segments, channels: channels)
        let generated = ContinuousClock.now - start
        let days = max(perChannel / 1440, 1)
        var timings: [Double] = []
        var listed = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<queries {
            let channel = "camera-\(Int.random(in: 0..<channels, using: &generator))"
            let day = origin + Int64(Int.random(in: 0..<days, using: &generator)) * 1440 * minute
            let queryStart = ContinuousClock.now
            let rows = try index.segments(channel: channel, from: day, to: day + 1440 * minute, limit: 2000)
            timings.append(seconds(ContinuousClock.now - queryStart) * 1000)
            listed = rows.count
        }
        timings.sort()
        let size = (try? FileManager.default.attributesOfItem(atPath: database.path)[.size] as? Int).map(Int64.init) ?? 0
        return Result(
            segments: perChannel * channels, generateSeconds: seconds(generated), segmentsPerDay: listed, queries: queries,
            p50Milliseconds: timings[timings.count / 2], p99Milliseconds: timings[min(timings.count - 1, timings.count * 99 / 100)], databaseBytes: size)
    }

    /// Fills the index with `segments` one-minute segments from ``origin`` spread over
    /// `channels` channels named `camera-N` (rows only: their files do not exist, so they
    /// are written in `state`); returns the segments per channel.
    public static func generate(_ database: PeerGateDatabase, segments: Int, channels: Int, state: SegmentRow.State = .complete) throws -> Int {
        let perChannel = segments / channels
        try database.pool.write { db in
            for channel in 0..<channels {
                try db.execute(
                    sql: "INSERT INTO recordings (channel, role, video_codec, audio_codec, started_at_us, ended_at_us, state) VALUES (?, 'viewer', 'H264', 'opus', ?, ?, 'complete')",
                    arguments: ["camera-\(channel)", origin, origin + Int64(perChannel) * minute])
                let recording = db.lastInsertedRowID
                let statement = try db.makeStatement(
                    sql: """
                        INSERT INTO segments (recording_id, channel, path, start_us, end_us, duration_us, bytes, video_codec, audio_codec, width, height, keyframes, frames, state)
                        VALUES (?, ?, ?, ?, ?, 60000000, 15000000, 'H264', 'opus', 1920, 1080, 30, 4500, ?)
                        """)
                for number in 0..<perChannel {
                    let segmentStart = origin + Int64(number) * minute
                    try statement.execute(
                        arguments: [recording, "camera-\(channel)", "recordings/camera-\(channel)/\(number).mp4", segmentStart, segmentStart + minute, state.rawValue])
                }
            }
        }
        return perChannel
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
