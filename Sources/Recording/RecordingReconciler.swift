import Foundation
import Logging
import Media

/// Start-up reconciliation of the index with the disk (run before any recorder starts):
/// - an `open` segment (its writer died) gets its file's partial trailing box cut off and
///   its row completed with the duration measured from the fragments (one that holds no
///   whole fragment is removed, file and row);
/// - a recording left `recording` becomes `interrupted`, ended at its last segment's end;
/// - a segment file without a row is indexed (in a `recovered` recording), or removed when
///   it holds no whole fragment;
/// - a row whose file is gone is marked `missing`.
/// Every change is logged; the report counts them.
public struct RecordingReconciler: Sendable {
    public struct Report: Sendable, Equatable {
        public var closedSegments = 0
        public var trimmedBytes: Int64 = 0
        public var interruptedRecordings = 0
        public var indexedOrphans = 0
        public var markedMissing = 0
        /// Segments that held no whole fragment: open rows (file and row removed) and files
        /// without a row (file removed).
        public var removedEmpty = 0
        /// Files under recordings/ that are not fragmented MP4 segments (left alone).
        public var unreadableFiles: [String] = []

        public init() {}
    }

    let index: RecordingIndex
    let paths: SegmentPaths
    let logger: Logger

    public init(index: RecordingIndex, paths: SegmentPaths, logger: Logger) {
        self.index = index
        self.paths = paths
        self.logger = logger
    }

    public func run() throws(RecordingError) -> Report {
        var report = Report()
        try closeOpenSegments(&report)
        try closeRecordings(&report)
        try indexOrphans(&report)
        try markMissing(&report)
        if report != Report() {
            logger.notice(
                "recordings reconciled: \(report.closedSegments) open segments closed (\(report.trimmedBytes) bytes trimmed), \(report.interruptedRecordings) recordings interrupted, \(report.indexedOrphans) files indexed, \(report.markedMissing) rows marked missing, \(report.unreadableFiles.count) unreadable files"
            )
        }
        return report
    }

    private func closeOpenSegments(_ report: inout Report) throws(RecordingError) {
        for var segment in try index.segments(state: .open) {
            let path = paths.absolute(segment.path)
            guard FileManager.default.fileExists(atPath: path) else { continue }  // marked missing below
            let repaired = try? SegmentRepair.repair(path: path)
            guard let repaired, repaired.fragments > 0 else {
                // Not one whole fragment reached the disk: nothing playable; file and row go.
                try? FileManager.default.removeItem(atPath: path)
                try index.deleteSegments([segment.id])
                report.removedEmpty += 1
                logger.warning("segment \(segment.path) was left open before its first whole fragment; file and row removed")
                continue
            }
            segment.duration = repaired.durationMicros
            segment.end = segment.start + repaired.durationMicros
            segment.bytes = repaired.bytes
            segment.state = .complete
            report.trimmedBytes += repaired.trimmed
            logger.notice("segment \(segment.path) was left open: closed at \(repaired.durationMicros / 1000) ms, \(repaired.trimmed) bytes of a partial fragment cut off")
            try index.updateSegment(segment)
            report.closedSegments += 1
        }
    }

    private func closeRecordings(_ report: inout Report) throws(RecordingError) {
        for recording in try index.unfinishedRecordings() {
            let end = try index.segments(recording: recording.id).map(\.end).max() ?? recording.startedAt
            try index.endRecording(recording.id, at: end, state: .interrupted)
            report.interruptedRecordings += 1
        }
    }

    private func indexOrphans(_ report: inout Report) throws(RecordingError) {
        let known = try index.allSegmentPaths()
        guard let walker = FileManager.default.enumerator(atPath: paths.root) else { return }
        var orphans: [String] = []
        while let entry = walker.nextObject() as? String {
            let relative = "recordings/" + entry
            if SegmentContainer(path: entry) != nil, !known.contains(relative) { orphans.append(relative) }
        }
        let channels = try index.channelDirectories()
        for relative in orphans.sorted() {
            guard let parsed = SegmentPaths.parse(relative) else {
                report.unreadableFiles.append(relative)
                continue
            }
            let repaired: SegmentRepair.Result
            do {
                repaired = try SegmentRepair.repair(path: paths.absolute(relative))
            } catch {
                report.unreadableFiles.append(relative)
                logger.warning("\(relative) has no row and is not a readable segment (\(error)); left alone")
                continue
            }
            guard repaired.fragments > 0 else {
                // Made just before the writer died, before its row (or a row a busy index
                // had not taken yet) and its first fragment: a header, nothing playable.
                try? FileManager.default.removeItem(atPath: paths.absolute(relative))
                report.removedEmpty += 1
                logger.warning("\(relative) has no row and holds no whole fragment; removed")
                continue
            }
            let channel = channels[parsed.channelDirectory] ?? parsed.channelDirectory
            let recording = try index.startRecording(channel: channel, role: .recovered, videoCodec: nil, audioCodec: nil, at: parsed.start)
            try index.endRecording(recording, at: parsed.start + repaired.durationMicros, state: .interrupted)
            _ = try index.openSegment(
                SegmentRow(
                    recordingID: recording, channel: channel, path: relative, start: parsed.start, end: parsed.start + repaired.durationMicros,
                    duration: repaired.durationMicros, bytes: repaired.bytes, videoCodec: nil, audioCodec: nil, state: .complete))
            report.indexedOrphans += 1
            logger.notice("\(relative) had no row: indexed (\(repaired.durationMicros / 1000) ms)")
        }
    }

    private func markMissing(_ report: inout Report) throws(RecordingError) {
        for state in [SegmentRow.State.open, .complete] {
            for var segment in try index.segments(state: state) where !FileManager.default.fileExists(atPath: paths.absolute(segment.path)) {
                segment.state = .missing
                try index.updateSegment(segment)
                report.markedMissing += 1
                logger.warning("segment \(segment.path) is indexed but its file is gone: marked missing")
            }
        }
    }
}
