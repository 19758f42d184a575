/// Why recording, indexing or reconciling failed, in words an operator can act on.
public enum RecordingError: Error, Sendable, CustomStringConvertible {
    /// The SQLite index refused a read or write.
    case index(operation: String, underlying: String)
    /// A segment file could not be created, written or synced.
    case file(path: String, operation: String, reason: String)
    /// A file is not a fragmented MP4 peergate can read.
    case unreadableSegment(path: String, reason: String)

    public var description: String {
        switch self {
        case .index(let operation, let underlying): "recording index: \(operation) failed: \(underlying)"
        case .file(let path, let operation, let reason): "recording file \(path): \(operation) failed: \(reason)"
        case .unreadableSegment(let path, let reason): "\(path) is not a segment peergate can read: \(reason)"
        }
    }
}
