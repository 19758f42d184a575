import Foundation
import Media

extension ChannelRecorder {
    /// Creates the file and its `open` row (and the recording row before the first). False
    /// when the file cannot be made (logged and counted; the next keyframe tries again); a
    /// row the index does not take now is written when the segment closes.
    func openSegment(start requested: Int64, keyframe: [UInt8]?) -> Bool {
        flushDeferredRows()
        let container = SegmentContainer.for(video: video?.codec, audio: audio?.codec)
        // Paths carry the start in µs; should another segment hold that one (a file or a row),
        // the start moves on by a microsecond rather than touch it.
        var start = requested
        var relative = configuration.paths.relativePath(channel: configuration.channel, start: start, container: container)
        while start - requested < 1000, FileManager.default.fileExists(atPath: configuration.paths.absolute(relative)) || (try? index.hasSegment(path: relative)) == true {
            start += 1
            relative = configuration.paths.relativePath(channel: configuration.channel, start: start, container: container)
        }
        let path = configuration.paths.absolute(relative)
        let info = keyframe.map { VideoKeyframeInfo(codec: video?.codec.rawValue ?? "", keyframe: $0) }
        let videoTrack = video.map {
            MediaSegmentWriter.Track(codec: $0.codec, width: info?.width ?? 0, height: info?.height ?? 0, parameterSets: info?.parameterSets ?? [])
        }
        let audioTrack = audio.map { MediaSegmentWriter.Track(codec: $0.codec, sampleRate: $0.clockRate, channels: $0.channels) }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let writer = try SegmentWriter(
                path: path, relativePath: relative, start: start, video: videoTrack, audio: audioTrack, container: container, sync: configuration.sync)
            var row = SegmentRow(
                recordingID: recordingID ?? 0, channel: configuration.channel, path: relative, start: start, videoCodec: video?.codec.rawValue,
                audioCodec: audio?.codec.rawValue, width: info?.width ?? 0, height: info?.height ?? 0)
            row.id = SegmentRow.unsaved
            if deferredRows.isEmpty {
                do {
                    row.id = try saveRow(row)
                } catch {
                    metrics.writeErrors.increment()
                    logger.error("recording \(configuration.channel): cannot add \(relative) to the index (\(error)); recording goes on and the row is written when the segment closes")
                }
            }
            segment = (writer, row)
            metrics.segments.increment()
            logger.info("recording \(configuration.channel): segment \(relative) opened")
            return true
        } catch {
            metrics.writeErrors.increment()
            logger.error("recording \(configuration.channel): cannot open segment \(relative): \(error)")
            return false
        }
    }

    /// False when the write failed (the segment is closed; a keyframe is needed).
    func write(_ kind: RecordingTimeline.Kind, track: Track, data: [UInt8], time: Int64, isKeyframe: Bool) -> Bool {
        guard let (writer, _) = segment else { return true }
        let before = writer.bytes
        do {
            try writer.write(kind, codec: track.codec, data: data, time: time, isKeyframe: isKeyframe)
            framesWritten += 1
            metrics.frames.increment()
            metrics.bytes.increment(by: Int(writer.bytes - before))
            recordSyncLatency(writer)
            return true
        } catch {
            metrics.writeErrors.increment()
            logger.error("recording \(configuration.channel): writing \(writer.relativePath) failed: \(error); the segment is closed and recording resumes at the next keyframe")
            closeSegment(reason: .stopped, failed: true)
            stopTimeline(reason: .stopped)
            return false
        }
    }

    /// An audio frame into the tail (the segment before a rotation); a failure closes the
    /// tail with what reached its file, and the frame is dropped.
    func writeTail(track: Track, data: [UInt8], time: Int64) {
        guard let (writer, _) = tail else { return }
        let before = writer.bytes
        do {
            try writer.write(.audio, codec: track.codec, data: data, time: time, isKeyframe: true)
            framesWritten += 1
            metrics.frames.increment()
            metrics.bytes.increment(by: Int(writer.bytes - before))
            recordSyncLatency(writer)
        } catch {
            metrics.writeErrors.increment()
            framesDropped += 1
            metrics.droppedFrames.increment()
            logger.error("recording \(configuration.channel): writing \(writer.relativePath) failed: \(error); the segment is closed")
            closeTail(failed: true)
            timeline.dropTail()
        }
    }

    /// Closes the tail, if one is open.
    func closeTail(failed: Bool = false) {
        guard let closing = tail else { return }
        tail = nil
        finishSegment(closing, reason: .rotation, failed: failed)
    }

    /// Closes the open segment, if one is.
    func closeSegment(reason: RecordingTimeline.CloseReason, failed: Bool = false) {
        guard let open = segment else { return }
        segment = nil
        finishSegment(open, reason: reason, failed: failed)
    }

    /// Finishes the file and completes its row with what it holds.
    private func finishSegment(_ closing: (writer: SegmentWriter, row: SegmentRow), reason: RecordingTimeline.CloseReason, failed: Bool) {
        let (writer, row) = closing
        var finishError: MediaError?
        if failed {
            writer.abandon()
        } else {
            do { try writer.finish() } catch { finishError = error }
        }
        if finishError != nil { writer.abandon() }
        recordSyncLatency(writer)
        var completed = row
        completed.end = row.start + writer.end
        completed.duration = writer.end
        completed.bytes = writer.bytes
        completed.frames = writer.frames
        completed.keyframes = writer.keyframes
        completed.state = .complete
        if finishError != nil { logger.error("recording \(configuration.channel): closing \(row.path) failed: \(finishError!)") }
        // The row takes what the file holds, measured from its fragments (tfdt + trun) as a
        // player sees it; after a failure the file is first trimmed to its last whole fragment.
        let measured = failed || finishError != nil
            ? try? SegmentRepair.repair(path: configuration.paths.absolute(row.path))
            : try? SegmentRepair.measure(path: configuration.paths.absolute(row.path))
        if let measured {
            completed.duration = measured.durationMicros
            completed.end = row.start + measured.durationMicros
            completed.bytes = measured.bytes
        }
        let playable = (measured?.fragments ?? 0) > 0 && completed.frames > 0
        guard playable else {
            // Not one whole fragment: nothing to play; file and row go.
            try? FileManager.default.removeItem(atPath: configuration.paths.absolute(row.path))
            if row.id != SegmentRow.unsaved {
                do { try index.deleteSegments([row.id]) } catch { logger.error("recording \(configuration.channel): cannot remove \(row.path) from the index: \(error)") }
            }
            logger.notice("recording \(configuration.channel): segment \(row.path) held no whole fragment; removed")
            return
        }
        segmentsClosed += 1
        logger.info("recording \(configuration.channel): segment \(row.path) closed (\(reason.rawValue)), \(completed.duration / 1000) ms, \(completed.bytes) bytes")
        flushDeferredRows()
        guard deferredRows.isEmpty else { return deferredRows.append(completed) }
        do {
            _ = try saveRow(completed)
        } catch {
            deferRow(completed, after: error)
        }
    }

    /// The fsyncs the writer made since the last call, into the latency metric.
    private func recordSyncLatency(_ writer: SegmentWriter) {
        for sync in writer.takeSyncDurations() {
            metrics.fsyncLatency.recordNanoseconds(sync.components.seconds * 1_000_000_000 + sync.components.attoseconds / 1_000_000_000)
        }
    }
}
