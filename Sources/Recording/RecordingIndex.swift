import GRDB
import Storage

/// The recordings and segments tables (migration 0004): what the recorder writes as it
/// goes, what the API lists, what retention and reconciliation prune and repair.
/// Listing by channel and time uses the (channel, start) index; a segment lasts at most
/// ``maxSegmentMicros``, so a time range only reads the rows that can overlap it.
public struct RecordingIndex: Sendable {
    /// No segment lasts longer (the recorder cuts one that reaches it).
    public static let maxSegmentMicros: Int64 = 3_600_000_000

    let pool: DatabasePool

    public init(database: PeerGateDatabase) {
        pool = database.pool
    }

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(RecordingError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw .index(operation: operation, underlying: "\(error)")
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(RecordingError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .index(operation: operation, underlying: "\(error)")
        }
    }

    // MARK: Recordings

    /// Starts a recording row in state `recording`; returns its id.
    public func startRecording(
        channel: String, role: RecordingRow.Role, peerClientID: String? = nil, videoCodec: String?, audioCodec: String?, at start: Int64
    ) throws(RecordingError) -> Int64 {
        try write("start a recording") { db in
            try db.execute(
                sql: """
                    INSERT INTO recordings (channel, role, peer_client_id, video_codec, audio_codec, started_at_us, state)
                    VALUES (?, ?, ?, ?, ?, ?, 'recording')
                    """, arguments: [channel, role.rawValue, peerClientID, videoCodec, audioCodec, start])
            return db.lastInsertedRowID
        }
    }

    /// Closes a recording at `end` (Unix µs).
    public func endRecording(_ id: Int64, at end: Int64, state: RecordingRow.State = .complete) throws(RecordingError) {
        try write("end a recording") { db in
            try db.execute(sql: "UPDATE recordings SET ended_at_us = ?, state = ? WHERE id = ?", arguments: [end, state.rawValue, id])
        }
    }

    public func recording(_ id: Int64) throws(RecordingError) -> RecordingRow? {
        try read("read a recording") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM recordings WHERE id = ?", arguments: [id]).map(RecordingRow.init(row:))
        }
    }

    /// Recordings of a channel that overlap [from, to), oldest first.
    public func recordings(channel: String, from: Int64, to: Int64, limit: Int = 1000) throws(RecordingError) -> [RecordingRow] {
        try read("list recordings") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM recordings WHERE channel = ? AND started_at_us < ? AND (ended_at_us IS NULL OR ended_at_us > ?)
                    ORDER BY started_at_us LIMIT ?
                    """, arguments: [channel, to, from, limit]
            ).map(RecordingRow.init(row:))
        }
    }

    /// Recordings left in state `recording` (their writer is gone when this runs at start-up).
    public func unfinishedRecordings() throws(RecordingError) -> [RecordingRow] {
        try read("list unfinished recordings") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM recordings WHERE state = 'recording' ORDER BY id").map(RecordingRow.init(row:))
        }
    }

    // MARK: Segments

    /// Inserts a segment row (state `open` when the file is being written); returns its id.
    public func openSegment(_ segment: SegmentRow) throws(RecordingError) -> Int64 {
        try write("open a segment") { db in
            try db.execute(
                sql: """
                    INSERT INTO segments (recording_id, channel, path, start_us, end_us, duration_us, bytes, video_codec, audio_codec,
                                          width, height, keyframes, frames, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    segment.recordingID, segment.channel, segment.path, segment.start, segment.end, segment.duration, segment.bytes, segment.videoCodec,
                    segment.audioCodec, segment.width, segment.height, segment.keyframes, segment.frames, segment.state.rawValue,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Writes a segment's measured fields and state.
    public func updateSegment(_ segment: SegmentRow) throws(RecordingError) {
        try write("update a segment") { db in
            try db.execute(
                sql: """
                    UPDATE segments SET end_us = ?, duration_us = ?, bytes = ?, width = ?, height = ?, keyframes = ?, frames = ?, state = ?
                    WHERE id = ?
                    """,
                arguments: [
                    segment.end, segment.duration, segment.bytes, segment.width, segment.height, segment.keyframes, segment.frames, segment.state.rawValue,
                    segment.id,
                ])
        }
    }

    /// Whether a segment row (of any state) has this path.
    public func hasSegment(path: String) throws(RecordingError) -> Bool {
        try read("look up a segment path") { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM segments WHERE path = ?)", arguments: [path]) ?? false }
    }

    public func segment(_ id: Int64) throws(RecordingError) -> SegmentRow? {
        try read("read a segment") { db in
            try Row.fetchOne(db, sql: "SELECT \(SegmentRow.columns) FROM segments WHERE id = ?", arguments: [id]).map(SegmentRow.init(row:))
        }
    }

    /// Segments of a channel overlapping [from, to), by start time; `after` continues a
    /// page (the last start and id seen).
    public func segments(channel: String, from: Int64, to: Int64, after: (start: Int64, id: Int64)? = nil, limit: Int = 1000) throws(RecordingError) -> [SegmentRow] {
        let cursor = after ?? (from - Self.maxSegmentMicros, 0)
        return try read("list segments") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SegmentRow.columns) FROM segments
                    WHERE channel = ? AND start_us >= ? AND start_us < ? AND end_us > ? AND (start_us > ? OR (start_us = ? AND id > ?))
                    ORDER BY start_us, id LIMIT ?
                    """, arguments: [channel, from - Self.maxSegmentMicros, to, from, cursor.start, cursor.start, cursor.id, limit]
            ).map(SegmentRow.init(row:))
        }
    }

    /// Segments of a recording, in order.
    public func segments(recording id: Int64) throws(RecordingError) -> [SegmentRow] {
        try read("list a recording's segments") { db in
            try Row.fetchAll(db, sql: "SELECT \(SegmentRow.columns) FROM segments WHERE recording_id = ? ORDER BY start_us, id", arguments: [id]).map(SegmentRow.init(row:))
        }
    }

    /// Every segment in a state, oldest first (reconciliation).
    public func segments(state: SegmentRow.State) throws(RecordingError) -> [SegmentRow] {
        try read("list segments by state") { db in
            try Row.fetchAll(db, sql: "SELECT \(SegmentRow.columns) FROM segments WHERE state = ? ORDER BY start_us", arguments: [state.rawValue]).map(SegmentRow.init(row:))
        }
    }

    /// Every indexed path (reconciliation finds files without a row).
    public func allSegmentPaths() throws(RecordingError) -> Set<String> {
        try read("list segment paths") { db in Set(try String.fetchAll(db, sql: "SELECT path FROM segments")) }
    }

    /// The oldest segments that are not being written, oldest first (retention): of one
    /// channel, or of every channel but `excluding`.
    public func oldestSegments(channel: String? = nil, excluding: Set<String> = [], before: Int64 = .max, limit: Int) throws(RecordingError) -> [SegmentRow] {
        var sql = "SELECT \(SegmentRow.columns) FROM segments WHERE state != 'open' AND start_us < ?"
        var arguments: StatementArguments = [before]
        if let channel {
            sql += " AND channel = ?"
            arguments += [channel]
        }
        if !excluding.isEmpty {
            sql += " AND channel NOT IN (" + Array(repeating: "?", count: excluding.count).joined(separator: ", ") + ")"
            arguments += StatementArguments(excluding.sorted())
        }
        sql += " ORDER BY start_us LIMIT ?"
        arguments += [limit]
        return try read("list the oldest segments") { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(SegmentRow.init(row:))
        }
    }

    /// Deletes segment rows; recordings left without segments and not recording go too.
    public func deleteSegments(_ ids: [Int64]) throws(RecordingError) {
        guard !ids.isEmpty else { return }
        try write("delete segments") { db in
            for id in ids { try db.execute(sql: "DELETE FROM segments WHERE id = ?", arguments: [id]) }
            try db.execute(
                sql: """
                    DELETE FROM recordings WHERE state != 'recording' AND NOT EXISTS (SELECT 1 FROM segments WHERE recording_id = recordings.id)
                    """)
        }
    }

    /// Channel names by the directory their segments live in (reconciliation maps an
    /// orphan file's directory back to its channel).
    public func channelDirectories() throws(RecordingError) -> [String: String] {
        try read("list channel directories") { db in
            let names = try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM segments")
            return Dictionary(names.map { (SegmentPaths.sanitized($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Bytes, segment count and time span per channel.
    public func channelSummaries() throws(RecordingError) -> [(channel: String, segments: Int, bytes: Int64, first: Int64, last: Int64)] {
        try read("summarise channels") { db in
            try Row.fetchAll(
                db, sql: "SELECT channel, COUNT(*) AS n, SUM(bytes) AS b, MIN(start_us) AS f, MAX(end_us) AS l FROM segments GROUP BY channel ORDER BY channel"
            ).map { ($0["channel"], $0["n"], $0["b"], $0["f"], $0["l"]) }
        }
    }
}
