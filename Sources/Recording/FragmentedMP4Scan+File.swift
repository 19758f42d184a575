import Foundation
import MediaFiles

extension FragmentedMP4Scan {
    /// Scans a fragmented-MP4 file on disk without changing it (a file being written is
    /// read up to its last whole fragment).
    public static func scan(path: String) throws(RecordingError) -> FragmentedMP4Scan {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .file(path: path, operation: "open", reason: "cannot open") }
        defer { try? handle.close() }
        let length: Int64
        do {
            length = Int64(try handle.seekToEnd())
        } catch {
            throw .file(path: path, operation: "measure", reason: "\(error)")
        }
        do {
            return try FragmentedMP4Scan(length: length) { offset, count in
                guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.read(upToCount: count) else { return nil }
                return [UInt8](data)
            }
        } catch {
            throw .unreadableSegment(path: path, reason: error == .noMovieBox ? "no complete moov box" : "\(error)")
        }
    }
}
