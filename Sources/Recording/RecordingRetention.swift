import Foundation
import Logging

/// Retention (DESIGN §3): segments older than their channel's maximum age go, then the
/// oldest segments of any channel while free disk space is below the minimum; each file
/// is removed before its row (a crash in between leaves a row that reconciliation marks
/// missing and the next run removes). Segments being written are never touched.
public struct RecordingRetention: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Maximum age for channels without their own; nil keeps forever.
        public var maxAge: Duration?
        /// Per-channel maximum age (nil in the map: keep forever).
        public var channelMaxAge: [String: Duration?]
        public var minFreeBytes: Int64

        public init(maxAge: Duration?, channelMaxAge: [String: Duration?] = [:], minFreeBytes: Int64) {
            self.maxAge = maxAge
            self.channelMaxAge = channelMaxAge
            self.minFreeBytes = minFreeBytes
        }
    }

    public struct Report: Sendable, Equatable {
        public var deletedForAge = 0
        public var deletedForSpace = 0
        public var freedBytes: Int64 = 0
        /// Free space is still below the minimum with nothing left to delete.
        public var stillShort = false
    }

    let index: RecordingIndex
    let paths: SegmentPaths
    let policy: Policy
    let logger: Logger
    /// Free bytes on the recordings' file system (injectable for tests).
    let freeBytes: @Sendable () -> Int64?

    public init(index: RecordingIndex, paths: SegmentPaths, policy: Policy, logger: Logger, freeBytes: (@Sendable () -> Int64?)? = nil) {
        self.index = index
        self.paths = paths
        self.policy = policy
        self.logger = logger
        // The recordings directory may be a file system of its own (a mount point).
        let root = paths.root
        let directory = paths.dataDirectory
        self.freeBytes = freeBytes ?? { Self.freeBytes(at: root) ?? Self.freeBytes(at: directory) }
    }

    /// Free bytes for unprivileged writers on the file system holding `path` (statvfs).
    public static func freeBytes(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// One pass; `now` in Unix µs.
    public func run(now: Int64) throws(RecordingError) -> Report {
        var report = Report()
        // By age: per channel that has its own limit, then everything else by the default.
        let channels = Set(policy.channelMaxAge.keys)
        for (channel, maxAge) in policy.channelMaxAge {
            guard let maxAge else { continue }
            try deleteOlder(than: now - Self.micros(maxAge), channel: channel, except: [], &report)
        }
        if let maxAge = policy.maxAge {
            try deleteOlder(than: now - Self.micros(maxAge), channel: nil, except: channels, &report)
        }
        // By free space: oldest first, any channel, checking the space after each file.
        space: while let free = freeBytes(), free < policy.minFreeBytes {
            let oldest = try index.oldestSegments(limit: 16)
            guard !oldest.isEmpty else {
                report.stillShort = true
                logger.error("free disk space is \(free) bytes, below recording.minFreeDiskMB, and no recording is left to delete")
                break
            }
            var progressed = false
            for segment in oldest {
                guard let free = freeBytes(), free < policy.minFreeBytes else { break space }
                let (deleted, freed) = try delete([segment], reason: "free disk space below the minimum")
                report.deletedForSpace += deleted
                report.freedBytes += freed
                progressed = progressed || deleted > 0
            }
            if !progressed { break }
        }
        return report
    }

    private func deleteOlder(than cutoff: Int64, channel: String?, except: Set<String>, _ report: inout Report) throws(RecordingError) {
        while true {
            // A segment goes once it has ended before the cutoff.
            let candidates = try index.oldestSegments(channel: channel, excluding: except, before: cutoff, limit: 256)
            let batch = candidates.filter { $0.end <= cutoff }
            guard !batch.isEmpty else { return }
            let (deleted, freed) = try delete(batch, reason: "older than the retention period")
            report.deletedForAge += deleted
            report.freedBytes += freed
            if deleted == 0 { return }
            if candidates.count < 256 { return }
        }
    }

    private func delete(_ segments: [SegmentRow], reason: String) throws(RecordingError) -> (Int, Int64) {
        try SegmentRemover(index: index, paths: paths, logger: logger).remove(segments, cause: "retention", reason: "retention: " + reason)
    }

    static func micros(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
