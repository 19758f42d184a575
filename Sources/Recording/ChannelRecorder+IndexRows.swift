extension ChannelRecorder {
    /// Writes a segment's row: inserted when it has no id yet (starting the recording row
    /// first if that is missing too), else updated. Returns the row's id.
    func saveRow(_ row: SegmentRow) throws(RecordingError) -> Int64 {
        if recordingID == nil {
            recordingID = try index.startRecording(
                channel: configuration.channel, role: configuration.role, peerClientID: configuration.peerClientID, videoCodec: video?.codec.rawValue,
                audioCodec: audio?.codec.rawValue, at: row.start)
        }
        guard row.id == SegmentRow.unsaved else {
            try index.updateSegment(row)
            return row.id
        }
        var inserted = row
        inserted.recordingID = recordingID ?? 0
        return try index.openSegment(inserted)
    }

    /// A completed row whose write failed waits here (in order) for the next try, so the
    /// media already on disk keeps its row and recording goes on: an index locked by
    /// another process past the busy timeout, or a transient I/O error, costs no media.
    func deferRow(_ row: SegmentRow, after error: RecordingError) {
        metrics.writeErrors.increment()
        deferredRows.append(row)
        logger.error("recording \(configuration.channel): cannot write \(row.path) to the index (\(error)); recording goes on and the row is written once the index takes it")
    }

    /// Writes the deferred rows, oldest first, until one fails again.
    func flushDeferredRows() {
        while let row = deferredRows.first {
            do {
                _ = try saveRow(row)
            } catch {
                return
            }
            deferredRows.removeFirst()
            logger.notice("recording \(configuration.channel): \(row.path) written to the index")
        }
    }
}
