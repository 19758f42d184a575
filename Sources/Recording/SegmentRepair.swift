import Foundation
import Media
import MediaFiles

/// Brings a segment file (fragmented MP4, WebM or Matroska by its extension) back to its last whole fragment (after `kill -9`, a power loss
/// or a write error) and measures it.
public enum SegmentRepair {
    public struct Result: Sendable, Equatable {
        /// The file's size after the repair.
        public var bytes: Int64
        public var durationMicros: Int64
        public var fragments: Int
        /// Bytes cut off the end.
        public var trimmed: Int64
    }

    /// Scans `path` and truncates a partial trailing box.
    public static func repair(path: String) throws(RecordingError) -> Result {
        try scan(path: path, trim: true)
    }

    /// Scans `path` without changing it (`trimmed` says what a repair would cut).
    public static func measure(path: String) throws(RecordingError) -> Result {
        try scan(path: path, trim: false)
    }

    private static func scan(path: String, trim: Bool) throws(RecordingError) -> Result {
        guard let handle = trim ? FileHandle(forUpdatingAtPath: path) : FileHandle(forReadingAtPath: path) else {
            throw .file(path: path, operation: "open", reason: "cannot open")
        }
        defer { try? handle.close() }
        let length: Int64
        do {
            length = Int64(try handle.seekToEnd())
        } catch {
            throw .file(path: path, operation: "measure", reason: "\(error)")
        }
        let read = { (offset: Int64, count: Int) -> [UInt8]? in
            guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.read(upToCount: count) else { return nil }
            return [UInt8](data)
        }
        let scan: (validLength: Int64, durationMicros: Int64, fragments: Int)
        if SegmentContainer(path: path) == .webM || SegmentContainer(path: path) == .matroska {
            do {
                let matroska = try MatroskaScan(length: length, read: read)
                scan = (matroska.validLength, matroska.durationMicros, matroska.fragments)
            } catch {
                throw .unreadableSegment(path: path, reason: error == .noTracks ? "no complete Tracks element" : "not a Matroska file")
            }
        } else {
            do {
                let mp4 = try FragmentedMP4Scan(length: length, read: read)
                scan = (mp4.validLength, mp4.durationMicros, mp4.fragments)
            } catch {
                throw .unreadableSegment(path: path, reason: error == .noMovieBox ? "no complete moov box" : "\(error)")
            }
        }
        if trim, scan.validLength < length {
            do {
                try handle.truncate(atOffset: UInt64(scan.validLength))
                try handle.synchronize()
            } catch {
                throw .file(path: path, operation: "truncate", reason: "\(error)")
            }
        }
        return Result(bytes: trim ? scan.validLength : length, durationMicros: scan.durationMicros, fragments: scan.fragments, trimmed: length - scan.validLength)
    }
}
