import Metrics

/// The recorder's metrics for one channel (labels `channel`).
struct RecorderMetrics: Sendable {
    let bytes: Counter
    let frames: Counter
    let segments: Counter
    let droppedFrames: Counter
    let writeErrors: Counter
    let fsyncLatency: Metrics.Timer

    init(channel: String) {
        let dimensions = [("channel", channel)]
        bytes = Counter(label: "peergate_recording_bytes_total", dimensions: dimensions)
        frames = Counter(label: "peergate_recording_frames_total", dimensions: dimensions)
        segments = Counter(label: "peergate_recording_segments_total", dimensions: dimensions)
        droppedFrames = Counter(label: "peergate_recording_dropped_frames_total", dimensions: dimensions)
        writeErrors = Counter(label: "peergate_recording_write_errors_total", dimensions: dimensions)
        fsyncLatency = Metrics.Timer(label: "peergate_recording_fsync_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }
}
