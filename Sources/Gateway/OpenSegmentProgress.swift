import Foundation
import Recording

/// How far a segment being written has come: its row is completed only when it closes, so
/// listings take the file's size and last write (the recorder writes each fragment as it
/// is cut) for `bytes`, `end` and `duration`.
enum OpenSegmentProgress {
    static func current(_ row: SegmentRow, paths: SegmentPaths) -> SegmentRow {
        guard row.state == .open else { return row }
        var info = stat()
        guard stat(paths.absolute(row.path), &info) == 0 else { return row }
        var updated = row
        updated.bytes = Int64(info.st_size)
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1000
        updated.end = max(row.end, modified)
        updated.duration = updated.end - row.start
        return updated
    }
}
