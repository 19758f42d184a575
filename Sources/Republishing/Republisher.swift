import Foundation
import Locking
import Logging
import Media
import SDP
import WebRTC

/// Fan-out of one source to a channel's viewers: each frame is split into RTP payloads
/// once and queued to every viewer, whose connection writes its own headers and encrypts
/// (``PacketizedFrame``). A viewer starts with the cached group of pictures
/// (``GOPCache``), so its first frame is a keyframe it can decode at once; a viewer's
/// keyframe request (PLI/FIR, RFC 4585 §6.3.1, RFC 5104 §4.3.1), which cannot reach a
/// camera behind RTSP, is answered from the cache, at most once per
/// ``Configuration/keyframeResendInterval``. A viewer that falls behind skips to the next
/// keyframe instead of queueing without bound.
public final class Republisher: Sendable {
    public struct Configuration: Sendable {
        public var channel: String
        /// Frames a viewer may have queued before it skips to the next keyframe.
        public var maxBacklog = 90
        /// At most one answer from the cache per viewer this often; nil: keyframe requests
        /// are not answered (viewers recover by NACK and the source's own keyframes).
        public var keyframeResendInterval: Duration?

        public init(channel: String, keyframeResendInterval: Duration? = .seconds(1)) {
            self.channel = channel
            self.keyframeResendInterval = keyframeResendInterval
        }
    }

    struct ViewerState {
        let viewer: RepublisherViewer
        var live = false
        var needsKeyframe = true
        /// Output time of the latest video frame queued (µs).
        var lastVideoTime: Int64 = .min
        var lastResend: ContinuousClock.Instant?
    }

    struct State {
        var streams: [MediaStreamInfo] = []
        var gop = GOPCache()
        var packetizers: [SDPCodec.Kind: FramePacketizer] = [:]
        var viewers: [String: ViewerState] = [:]
        var lastKeyframe: ContinuousClock.Instant?
        /// The parameter-set NAL units of the latest video keyframe (H.264/H.265).
        var parameterSets: [[UInt8]] = []
        var opens = 0
        /// Frames sent to viewers that have left.
        var sentToFormerViewers: [String: FrameCounts] = [:]
        var viewerTotals: [String: ViewerTotals] = [:]
    }

    /// A frame's (or a cached group's) sends to viewers, one task per event loop.
    typealias ViewerBatches = LoopBatches<RepublisherViewer>

    public let configuration: Configuration
    let logger: Logger
    let metrics: RepublisherMetrics
    let state = LockedState(State())

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        metrics = RepublisherMetrics(channel: configuration.channel)
    }

    /// The streams of the source as last opened (empty before).
    public var streams: [MediaStreamInfo] { state.withLock { $0.streams } }

    public var viewerCount: Int { state.withLock { $0.viewers.count } }

    /// `a=fmtp` parameters declaring the video's current parameter sets, by encoding name
    /// (see ``ParameterSetDeclaration``); empty while none are known.
    public var sendFormatParameters: [String: [String: String]] {
        let (streams, sets) = state.withLock { ($0.streams, $0.parameterSets) }
        guard let video = streams.first(where: { $0.codec == .h264 || $0.codec == .h265 }), let name = Self.sdpCodec(video.codec)?.name else { return [:] }
        // Before the first keyframe, the sets the source declared out of band (RTSP's SDP).
        let units = sets.isEmpty ? ParameterSetDeclaration.units(in: video.parameterSets, codec: video.codec) : sets
        let parameters = ParameterSetDeclaration.formatParameters(units, codec: video.codec)
        return parameters.isEmpty ? [:] : [name.uppercased(): parameters]
    }

    /// An event of the source's ``SourcePump``.
    public func receive(_ event: SourcePump.Event) {
        switch event {
        case .opened(let streams):
            state.withLock { state in
                state.streams = streams
                state.opens += 1
                state.gop.clear()
                state.parameterSets = []
                state.packetizers = [:]
                for stream in streams {
                    guard let codec = Self.sdpCodec(stream.codec) else { continue }
                    state.packetizers[codec.kind] = FramePacketizer(codec: codec)
                }
                // The next frames do not follow the last ones: everyone waits for a keyframe.
                state.viewers.updateEachValue { $0.needsKeyframe = true }
            }
            metrics.opens.increment()
            logger.notice("republishing \(configuration.channel): source open, \(streams.map(\.codec.rawValue).joined(separator: " + "))")
        case .frame(let frame):
            distribute(frame)
        case .lost(let reason, let retryIn):
            metrics.reconnects.increment()
            logger.warning("republishing \(configuration.channel): source lost (\(reason)); trying again in \(retryIn)")
        case .ended:
            logger.notice("republishing \(configuration.channel): the source ended")
        }
    }

    private func distribute(_ frame: SourceFrame) {
        metrics.frames(frame)
        let batches = state.withLock { state -> ViewerBatches in
            var batches = ViewerBatches()
            // In place: copying the packetizer out and back cost a copy of its payloader per frame.
            guard let packetized = state.packetizers[frame.kind]?.packetize(frame.data) else { return batches }
            state.gop.add(frame, packetized: packetized)
            if frame.kind == .video && frame.isKeyframe {
                state.lastKeyframe = .now
                let sets = ParameterSetDeclaration.units(in: frame.data, codec: frame.codec)
                if !sets.isEmpty { state.parameterSets = sets }
            }
            let queued = QueuedFrame(frame: packetized, kind: frame.kind, time: frame.time)
            state.viewers.updateEachValue { entry in
                guard entry.live else { return }
                if frame.kind == .video {
                    if entry.viewer.backlog > configuration.maxBacklog { entry.needsKeyframe = true }
                    if entry.needsKeyframe && !frame.isKeyframe {
                        metrics.skippedFrames.increment()
                        return
                    }
                    entry.needsKeyframe = false
                    entry.lastVideoTime = frame.time
                } else if entry.needsKeyframe {
                    return  // Audio starts with the picture.
                }
                batches.add(queued, for: entry.viewer)
            }
            if let lastKeyframe = state.lastKeyframe { metrics.keyframeAge.record((ContinuousClock.now - lastKeyframe) / .milliseconds(1) / 1000) }
            return batches
        }
        batches.dispatch()
    }

    /// A viewer whose answer went out; it gets frames once ``viewerConnected(_:)``.
    public func addViewer(_ id: String, connection: PeerConnection) {
        let viewer = RepublisherViewer(id: id, connection: connection)
        let replaced = state.withLock { state in
            defer { state.viewers[id] = ViewerState(viewer: viewer) }
            return state.viewers[id]?.viewer
        }
        replaced?.finish()
        metrics.viewers.record(viewerCount)
    }

    /// The viewer's transport is up: the cached group of pictures goes first, then live frames.
    public func viewerConnected(_ id: String) {
        let batches = state.withLock { state -> ViewerBatches in
            var batches = ViewerBatches()
            guard var entry = state.viewers[id], !entry.live else { return batches }
            entry.live = true
            for cached in state.gop.entries {
                batches.add(QueuedFrame(frame: cached.frame, kind: .video, time: cached.time), for: entry.viewer)
                entry.lastVideoTime = cached.time
                entry.needsKeyframe = false
            }
            state.viewers[id] = entry
            return batches
        }
        batches.dispatch()
    }

    /// A viewer asked for a keyframe: the cached group of pictures again, stamped just after
    /// what it was last sent so that its timeline keeps going forward.
    public func keyframeRequested(by id: String) {
        let batches = state.withLock { state -> ViewerBatches? in
            var batches = ViewerBatches()
            guard let interval = configuration.keyframeResendInterval, var entry = state.viewers[id], entry.live, let first = state.gop.entries.first else { return nil }
            let now = ContinuousClock.now
            if let last = entry.lastResend, now - last < interval { return nil }
            entry.lastResend = now
            // One 90 kHz tick apart (≈ 11 µs), after the last frame queued.
            var time = entry.lastVideoTime == .min ? first.time : entry.lastVideoTime
            for cached in state.gop.entries {
                time += 12
                batches.add(QueuedFrame(frame: cached.frame, kind: .video, time: time), for: entry.viewer, resent: true)
            }
            entry.lastVideoTime = time
            entry.needsKeyframe = false
            state.viewers[id] = entry
            return batches
        }
        guard let batches else { return }
        batches.dispatch()
        metrics.keyframeResends.increment()
    }

    public func removeViewer(_ id: String) {
        let removed = state.withLock { state in
            let removed = state.viewers.removeValue(forKey: id)?.viewer
            if let removed { state.sentToFormerViewers[id] = (state.sentToFormerViewers[id] ?? FrameCounts()) + removed.framesSent }
            return removed
        }
        removed?.finish()
        metrics.viewers.record(viewerCount)
    }

    /// Frames sent to each viewer (present and past) so far.
    public var framesSentTotal: [String: FrameCounts] {
        state.withLock { state in state.sentToFormerViewers.merging(state.viewers.mapValues { $0.viewer.framesSent }, uniquingKeysWith: +) }
    }

    /// How many times the source opened.
    public var sourceOpens: Int { state.withLock { $0.opens } }

    /// The SDP codec of a source codec (the payload format its frames are split by).
    static func sdpCodec(_ codec: MediaCodec) -> SDPCodec? {
        switch codec {
        case .h264: .h264ConstrainedBaseline
        case .h265: .h265
        case .vp8: .vp8
        case .opus: .opus
        case .pcmu: .pcmu
        case .pcma: .pcma
        default: nil
        }
    }
}
