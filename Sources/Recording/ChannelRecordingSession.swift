import ChannelPeers
import Foundation
import Logging
import Media
import SDP
import WebRTC

/// One viewer session of a recorder: the frames of a ``ChannelViewer`` session go to a
/// ``ChannelRecorder`` (one recording row per session); a keyframe is asked for when the
/// recorder needs one.
public actor ChannelRecordingSession: ChannelViewerHandler {
    let configuration: ChannelRecorder.Configuration
    let index: RecordingIndex
    let logger: Logger
    private var recorder: ChannelRecorder?
    private var connection: PeerConnection?
    /// What this session recorded.
    public private(set) var framesWritten = 0
    public private(set) var segmentsClosed = 0
    public private(set) var recordingID: Int64?

    public init(configuration: ChannelRecorder.Configuration, index: RecordingIndex, logger: Logger) {
        self.configuration = configuration
        self.index = index
        self.logger = logger
    }

    /// The codec of a negotiated format as the muxer knows it; nil for what is not recorded.
    static func track(_ codec: SDPCodec) -> ChannelRecorder.Track? {
        let media: MediaCodec? =
            switch codec.name.uppercased() {
            case "H264": .h264
            case "H265": .h265
            case "VP8": .vp8
            case "OPUS": .opus
            case "PCMU": .pcmu
            case "PCMA": .pcma
            default: nil
            }
        return media.map { ChannelRecorder.Track(codec: $0, clockRate: codec.clockRate, channels: codec.channels) }
    }

    public func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async {
        self.connection = connection
        let video = media.first { $0.kind == .video }?.codecs.lazy.compactMap { Self.track($0.codec) }.first
        let audio = media.first { $0.kind == .audio }?.codecs.lazy.compactMap { Self.track($0.codec) }.first
        recorder = ChannelRecorder(configuration: configuration, video: video, audio: audio, index: index, logger: logger)
    }

    public func handle(_ event: PeerConnectionEvent) async {
        guard case .frame(let received) = event, let recorder, let track = Self.track(received.codec) else { return }
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        let wallClock = received.wallClock.map { Int64(($0 * 1_000_000).rounded()) } ?? now
        let wantsKeyframe = recorder.receive(
            track, kind: received.codec.kind == .video ? .video : .audio, ssrc: received.ssrc, rtpTimestamp: received.frame.rtpTimestamp,
            isKeyframe: received.frame.isKeyframe, data: received.frame.data, wallClock: wallClock, arrival: now)
        recordingID = recorder.recordingID
        if wantsKeyframe { await connection?.requestKeyframe() }
    }

    public func ending(connection: PeerConnection, transport: WebRTCTransport) async {
        guard let recorder else { return }
        recorder.stop(at: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
        framesWritten = recorder.framesWritten
        segmentsClosed = recorder.segmentsClosed
        recordingID = recorder.recordingID
        self.recorder = nil
    }
}
