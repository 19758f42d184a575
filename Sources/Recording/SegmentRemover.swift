import Foundation
import Logging
import Metrics

/// Deletes segments the way retention and the recordings API both must: each file before
/// its row (a crash in between leaves a row that reconciliation marks missing and the next
/// pass removes), never a segment being written. Logged and counted by `cause`.
public struct SegmentRemover: Sendable {
    let index: RecordingIndex
    let paths: SegmentPaths
    let logger: Logger

    public init(index: RecordingIndex, paths: SegmentPaths, logger: Logger) {
        self.index = index
        self.paths = paths
        self.logger = logger
    }

    /// Removes files then rows; returns how many went and their bytes. `cause` names the
    /// counter (`peergate_recording_<cause>_deleted_segments_total`); `reason` is logged.
    public func remove(_ segments: [SegmentRow], cause: String, reason: String) throws(RecordingError) -> (deleted: Int, freed: Int64) {
        var (deleted, freed) = (0, Int64(0))
        for segment in segments where segment.state != .open {
            let path = paths.absolute(segment.path)
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch CocoaError.fileNoSuchFile {
                // Already gone (a missing row): the row goes below.
            } catch {
                logger.error("cannot remove \(segment.path): \(error)")
                continue
            }
            try index.deleteSegments([segment.id])
            deleted += 1
            freed += segment.bytes
            Counter(label: "peergate_recording_\(cause)_deleted_segments_total", dimensions: [("channel", segment.channel)]).increment()
            logger.notice("deleted \(segment.path) (\(segment.bytes) bytes): \(reason)")
        }
        return (deleted, freed)
    }
}
