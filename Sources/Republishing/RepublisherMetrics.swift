import Metrics

/// Metrics of one republished source (labels `channel`): frames and bytes read per kind
/// (rates give fps and bitrate), source opens and losses, the age of the latest keyframe,
/// viewers, frames viewers skipped while catching up, keyframe requests answered from the
/// cache; per viewer (summed over the channel's viewers): RTP packets sent, NACKs received,
/// packets retransmitted, round-trip times.
struct RepublisherMetrics: Sendable {
    let videoFrames: Counter
    let audioFrames: Counter
    let bytes: Counter
    let opens: Counter
    let reconnects: Counter
    let keyframeAge: Gauge
    let viewers: Gauge
    let skippedFrames: Counter
    let keyframeResends: Counter
    let viewerPackets: Counter
    let viewerNACKs: Counter
    let viewerRetransmissions: Counter
    let viewerRoundTrip: Metrics.Timer

    init(channel: String) {
        let dimensions = [("channel", channel)]
        videoFrames = Counter(label: "peergate_republish_video_frames_total", dimensions: dimensions)
        audioFrames = Counter(label: "peergate_republish_audio_frames_total", dimensions: dimensions)
        bytes = Counter(label: "peergate_republish_source_bytes_total", dimensions: dimensions)
        opens = Counter(label: "peergate_republish_source_opens_total", dimensions: dimensions)
        reconnects = Counter(label: "peergate_republish_source_losses_total", dimensions: dimensions)
        keyframeAge = Gauge(label: "peergate_republish_keyframe_age_seconds", dimensions: dimensions)
        viewers = Gauge(label: "peergate_republish_viewers", dimensions: dimensions)
        skippedFrames = Counter(label: "peergate_republish_skipped_frames_total", dimensions: dimensions)
        keyframeResends = Counter(label: "peergate_republish_keyframe_resends_total", dimensions: dimensions)
        viewerPackets = Counter(label: "peergate_republish_viewer_packets_total", dimensions: dimensions)
        viewerNACKs = Counter(label: "peergate_republish_viewer_nacks_total", dimensions: dimensions)
        viewerRetransmissions = Counter(label: "peergate_republish_viewer_retransmitted_packets_total", dimensions: dimensions)
        viewerRoundTrip = Metrics.Timer(label: "peergate_republish_viewer_rtt_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }

    func frames(_ frame: SourceFrame) {
        (frame.kind == .video ? videoFrames : audioFrames).increment()
        bytes.increment(by: frame.data.count)
    }
}
