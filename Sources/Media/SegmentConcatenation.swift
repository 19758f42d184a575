import CFFmpeg

/// Recorded segment files remuxed (never re-encoded) into one fragmented-MP4 (or WebM)
/// stream for a wall-clock span: it starts at the video keyframe at or before `from`,
/// runs across segment boundaries and across gaps with timestamps kept continuous (a
/// gap is closed up, not played as a pause), and stops at `to`, at the end of the last
/// file, or before a file whose streams differ from the first's (codec, configuration or
/// picture size: one MP4 header cannot describe both).
public enum SegmentConcatenation {
    /// A segment file and the wall clock of its time zero (Unix µs).
    public struct Input: Sendable, Equatable {
        public var path: String
        public var start: Int64
        public init(path: String, start: Int64) {
            self.path = path
            self.start = start
        }
    }

    public enum Stop: Sendable, Equatable {
        /// Reached `to`, or the end of the last file.
        case finished
        /// Stopped before input `index`: its streams differ from the first file's.
        case streamsChanged(index: Int)
        /// The consumer stopped taking bytes.
        case consumerStopped
    }

    public struct Summary: Sendable, Equatable {
        public var stop: Stop
        /// Wall clock of the first and of the end of the last packet written (Unix µs).
        public var firstWallClock: Int64?
        public var lastWallClock: Int64?
        public var packets = 0
        public var bytes: Int64 = 0
        public var filesUsed = 0
    }

    /// Writes the span through `consume` (false from it stops the work).
    public static func run(
        _ inputs: [Input], from: Int64, to: Int64, container: SegmentContainer, consume: @escaping ([UInt8]) -> Bool
    ) throws(MediaError) -> Summary {
        guard let firstInput = inputs.first else { throw .noUsableStream("no recorded segment in the span") }
        let first = try SegmentInputFile(path: firstInput.path)
        guard !first.streams.isEmpty else { throw .noUsableStream(firstInput.path) }
        let startPTS = try startTime(firstInput, from: from)
        let sink = try MediaByteSink(consume: consume)
        let output = try ConcatenationOutput(template: first, container: container, sink: sink)
        var summary = Summary(stop: .finished)
        var offset = -startPTS
        for (position, input) in inputs.enumerated() {
            let file: SegmentInputFile
            if position == 0 {
                file = first
            } else {
                do {
                    file = try SegmentInputFile(path: input.path)
                } catch {
                    continue  // a file deleted or unreadable since the listing: skip it
                }
                guard first.matches(file) else {
                    summary.stop = .streamsChanged(index: position)
                    break
                }
                offset = output.end
            }
            summary.filesUsed += 1
            var reachedTo = false
            while let packet = file.next() {
                if position == 0 && packet.pts < startPTS { continue }
                let wall = input.start + packet.pts
                if wall >= to {
                    reachedTo = true
                    break
                }
                guard let outputIndex = file.streams.firstIndex(where: { $0.index == packet.stream }) else { continue }
                guard try output.write(file, packet, stream: outputIndex, offset: offset) else {
                    summary.stop = .consumerStopped
                    return summary
                }
                summary.packets += 1
                summary.firstWallClock = summary.firstWallClock ?? wall
                summary.lastWallClock = max(summary.lastWallClock ?? wall, wall + max(packet.duration, 0))
            }
            if reachedTo { break }
        }
        guard try output.finish() else {
            summary.stop = .consumerStopped
            return summary
        }
        summary.bytes = sink.bytesWritten
        return summary
    }

    /// Where the span starts in the first file (µs from its time zero): the last video
    /// keyframe at or before `from`, or `from` itself for audio only; 0 before the file.
    static func startTime(_ input: Input, from: Int64) throws(MediaError) -> Int64 {
        let target = from - input.start
        guard target > 0 else { return 0 }
        let scan = try SegmentInputFile(path: input.path)
        guard scan.hasVideo else { return target }
        var keyframe: Int64 = 0
        while let packet = scan.next() {
            guard packet.isVideo else { continue }
            if packet.pts > target { break }
            if packet.isKeyframe { keyframe = packet.pts }
        }
        return keyframe
    }
}
