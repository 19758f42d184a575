import Media

/// One segment file being written: a ``MediaSegmentWriter`` fed one frame behind per
/// track, so every frame is written with its real duration (the gap to the next frame of
/// its track), and the counts the index keeps. With video, the opening keyframe is the
/// file's first packet: audio that comes before it in write order waits for it (the fMP4
/// muxer measures every timestamp from its first packet's, which would put the keyframe
/// before zero).
final class SegmentWriter {

    let relativePath: String
    let start: Int64
    private let writer: MediaSegmentWriter
    private var pending: [RecordingTimeline.Kind: MediaPacket] = [:]
    private var lastDuration: [RecordingTimeline.Kind: Int64] = [:]
    private let hasVideo: Bool
    private var videoWritten = false
    /// Audio held until the first video frame is written.
    private var heldAudio: [(packet: MediaPacket, duration: Int64)] = []
    /// End of the latest frame written, µs from the start.
    private(set) var end: Int64 = 0
    private(set) var frames = 0
    private(set) var keyframes = 0
    /// The longest fsync a write made since the last call of ``takeSyncDurations()``.
    private var syncs: [Duration] = []

    init(
        path: String, relativePath: String, start: Int64, video: MediaSegmentWriter.Track?, audio: MediaSegmentWriter.Track?, container: SegmentContainer,
        sync: SegmentSyncPolicy
    ) throws(MediaError) {
        self.relativePath = relativePath
        self.start = start
        writer = try MediaSegmentWriter(path: path, video: video, audio: audio, container: container, sync: sync)
        hasVideo = video != nil
        if let sync = writer.lastSync { syncs.append(sync) }
    }

    var bytes: Int64 { writer.bytesWritten }

    /// Takes a frame at `time` µs from the segment's start; writes the one before it.
    func write(_ kind: RecordingTimeline.Kind, codec: MediaCodec, data: [UInt8], time: Int64, isKeyframe: Bool) throws(MediaError) {
        if let previous = pending[kind] {
            let duration = max(time - previous.presentationMicroseconds, 1)
            lastDuration[kind] = duration
            try emitInOrder(kind, previous, duration: duration)
        }
        pending[kind] = MediaPacket(stream: kind == .video ? 0 : 1, codec: codec, data: data, presentationMicroseconds: time, isKeyframe: isKeyframe)
    }

    /// Writes the held frames (with the duration of the one before) and closes the file.
    func finish() throws(MediaError) {
        for (kind, packet) in pending.sorted(by: { $0.value.presentationMicroseconds < $1.value.presentationMicroseconds }) {
            try emitInOrder(kind, packet, duration: lastDuration[kind] ?? (kind == .video ? 33_333 : 20_000))
        }
        pending = [:]
        try emitHeldAudio()
        try writer.finish()
        if let sync = writer.lastSync { syncs.append(sync) }
    }

    /// Gives the file up after a write error: nothing more is written to it.
    func abandon() {
        pending = [:]
        heldAudio = []
        writer.abandon()
    }

    /// fsync durations since the last call (for the latency metric).
    func takeSyncDurations() -> [Duration] {
        defer { syncs = [] }
        return syncs
    }

    private func emitInOrder(_ kind: RecordingTimeline.Kind, _ packet: MediaPacket, duration: Int64) throws(MediaError) {
        if kind == .audio && hasVideo && !videoWritten {
            heldAudio.append((packet, duration))
            return
        }
        try emit(kind, packet, duration: duration)
        if kind == .video && !videoWritten {
            videoWritten = true
            try emitHeldAudio()
        }
    }

    private func emitHeldAudio() throws(MediaError) {
        let held = heldAudio
        heldAudio = []
        for (packet, duration) in held { try emit(.audio, packet, duration: duration) }
    }

    private func emit(_ kind: RecordingTimeline.Kind, _ packet: MediaPacket, duration: Int64) throws(MediaError) {
        try writer.write(packet, durationMicroseconds: duration)
        if let sync = writer.lastSync { syncs.append(sync) }
        frames += 1
        if packet.isKeyframe && kind == .video { keyframes += 1 }
        end = max(end, packet.presentationMicroseconds + duration)
    }
}
