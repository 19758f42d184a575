import Foundation
import Locking

/// The ports peergate's listeners bound, written to `<dataDir>/ports.json` as one JSON
/// object keyed by listener (`{"http": 8080, "turn": 3478, "turnTLS": 5349}`) so that
/// tests and scripts find ports chosen with port 0 (DESIGN.md §5).
///
/// The file first appears once every expected listener is bound (so whoever waits for it
/// finds every port), is rewritten atomically (temporary file + rename) on each later bind,
/// and is removed at shutdown so a stale file never names a port nobody listens on.
public final class ListenerPorts: Sendable {
    /// The path of `ports.json`.
    public let filePath: String
    private let expected: Set<String>
    private let ports = LockedState<[String: Int]>([:])

    /// - Parameter expected: the listeners that must be bound before the file is written.
    public init(dataDir: String, expected: Set<String> = []) {
        filePath = (dataDir as NSString).appendingPathComponent("ports.json")
        self.expected = expected
    }

    /// Records the port a listener bound and, once every expected listener is in, rewrites
    /// the file (under the lock, so a write of an older snapshot never lands after a newer one).
    public func record(_ listener: String, port: Int) throws {
        try ports.withLock { ports in
            ports[listener] = port
            guard expected.isSubset(of: ports.keys) else { return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(ports).write(to: URL(filePath: filePath), options: .atomic)
        }
    }

    /// The recorded ports.
    public var current: [String: Int] {
        ports.withLock { $0 }
    }

    /// Deletes the file (at shutdown, or a stale one at start-up).
    public func removeFile() {
        try? FileManager.default.removeItem(atPath: filePath)
    }
}
