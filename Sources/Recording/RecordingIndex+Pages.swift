import GRDB

extension RecordingIndex {
    /// Listing order by start time (then id).
    public enum Order: String, Sendable {
        case ascending
        case descending
    }

    /// A page of the segments of a channel overlapping [from, to): by start then id, in
    /// `order`, continuing after `after` (the last start and id of the previous page). Uses
    /// the (channel, start) index: a segment lasts at most ``maxSegmentMicros``.
    public func segmentPage(
        channel: String, from: Int64, to: Int64, order: Order, after: (start: Int64, id: Int64)?, limit: Int
    ) throws(RecordingError) -> [SegmentRow] {
        guard order == .descending else { return try segments(channel: channel, from: from, to: to, after: after, limit: limit) }
        let cursor = after ?? (Int64.max, Int64.max)
        return try read("list segments") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SegmentRow.columns) FROM segments
                    WHERE channel = ? AND start_us >= ? AND start_us < ? AND end_us > ? AND (start_us < ? OR (start_us = ? AND id < ?))
                    ORDER BY start_us DESC, id DESC LIMIT ?
                    """, arguments: [channel, from - Self.maxSegmentMicros, to, from, cursor.start, cursor.start, cursor.id, limit]
            ).map(SegmentRow.init(row:))
        }
    }

    /// A page of the recordings of a channel overlapping [from, to), like ``segmentPage``.
    public func recordingPage(
        channel: String, from: Int64, to: Int64, order: Order, after: (start: Int64, id: Int64)?, limit: Int
    ) throws(RecordingError) -> [RecordingRow] {
        let ascending = order == .ascending
        let cursor = after ?? (ascending ? (Int64.min, Int64.min) : (Int64.max, Int64.max))
        let comparison = ascending ? ">" : "<"
        let direction = ascending ? "ASC" : "DESC"
        return try read("list recordings") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM recordings
                    WHERE channel = ? AND started_at_us < ? AND (ended_at_us IS NULL OR ended_at_us > ?)
                      AND (started_at_us \(comparison) ? OR (started_at_us = ? AND id \(comparison) ?))
                    ORDER BY started_at_us \(direction), id \(direction) LIMIT ?
                    """, arguments: [channel, to, from, cursor.start, cursor.start, cursor.id, limit]
            ).map(RecordingRow.init(row:))
        }
    }

    /// Deletes a recording's row once its segments are gone; false while it is still
    /// recording or still has segments.
    public func deleteRecording(_ id: Int64) throws(RecordingError) -> Bool {
        try write("delete a recording") { db in
            try db.execute(
                sql: "DELETE FROM recordings WHERE id = ? AND state != 'recording' AND NOT EXISTS (SELECT 1 FROM segments WHERE recording_id = ?)",
                arguments: [id, id])
            return db.changesCount > 0
        }
    }
}
