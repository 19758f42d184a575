import ChannelPeers
import Logging
import Media
import SDP
import WebRTC

/// Republishing as a channel's master (``ChannelMaster``): every viewer's offer is
/// answered with a PeerConnection that sends the source through the ``Republisher``.
/// On demand, the source opens with the first viewer and closes `closeAfter` after the
/// last one leaves; otherwise it stays open while the publisher runs.
public actor ChannelPublisher: ChannelMasterHandler {
    public struct Configuration: Sendable {
        public var channel: String
        public var source: SourcePump.Configuration
        public var onDemand: Bool
        public var closeAfter: Duration
        /// ``Republisher/Configuration/keyframeResendInterval``.
        public var keyframeResendInterval: Duration?

        public init(
            channel: String, source: SourcePump.Configuration, onDemand: Bool = true, closeAfter: Duration = .seconds(10), keyframeResendInterval: Duration? = .seconds(1)
        ) {
            self.channel = channel
            self.source = source
            self.onDemand = onDemand
            self.closeAfter = closeAfter
            self.keyframeResendInterval = keyframeResendInterval
        }
    }

    public let configuration: Configuration
    public nonisolated let republisher: Republisher
    let logger: Logger
    private var pump: SourcePump?
    private var closing: Task<Void, Never>?
    private var viewersServed: Set<String> = []
    /// When each present viewer's answer was made, to log how long connecting took.
    private var joinedAt: [String: ContinuousClock.Instant] = [:]
    private var statsSampler: Task<Void, Never>?

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        republisher = Republisher(configuration: .init(channel: configuration.channel, keyframeResendInterval: configuration.keyframeResendInterval), logger: logger)
    }

    /// Opens the source now unless it opens on demand.
    public func start() {
        if !configuration.onDemand { openSource() }
        let republisher = republisher
        statsSampler = statsSampler ?? Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                await republisher.sampleViewerStats()
            }
        }
    }

    /// Closes the source and lets every viewer go.
    public func stop() {
        statsSampler?.cancel()
        statsSampler = nil
        closing?.cancel()
        pump?.stop()
        pump = nil
    }

    public var isSourceOpen: Bool { pump != nil }
    public var viewers: Int { viewersServed.count }

    private func openSource() {
        closing?.cancel()
        closing = nil
        guard pump == nil else { return }
        let republisher = republisher
        let opened = SourcePump(configuration: configuration.source) { republisher.receive($0) }
        opened.start()
        pump = opened
    }

    public func localParameters(for viewer: String, defaults: SDPLocalParameters) async -> SDPLocalParameters {
        openSource()
        // The answer names the source's codecs: wait for it to open (a first viewer of an on-demand source).
        let deadline = ContinuousClock.now + configuration.source.openTimeout
        while republisher.streams.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
        var parameters = Self.parameters(for: republisher.streams, defaults: defaults)
        parameters.sendFormatParameters = republisher.sendFormatParameters
        return parameters
    }

    /// Send-only media of the source's codecs (H.264 either profile; a source not open
    /// yet is announced as H.264 + Opus, what cameras most often send).
    static func parameters(for streams: [MediaStreamInfo], defaults: SDPLocalParameters) -> SDPLocalParameters {
        var local = defaults
        let codecs = streams.isEmpty ? [MediaCodec.h264, .opus] : streams.map(\.codec)
        local.codecs = codecs.flatMap { codec -> [SDPCodec] in
            codec == .h264 ? [.h264ConstrainedBaseline, .h264High] : Republisher.sdpCodec(codec).map { [$0] } ?? []
        }
        let hasVideo = codecs.contains { $0.isVideo }
        let hasAudio = codecs.contains { !$0.isVideo }
        local.directions = [.video: hasVideo ? .sendonly : .inactive, .audio: hasAudio ? .sendonly : .inactive]
        local.sendSSRCs = [:]
        if hasVideo { local.sendSSRCs[.video] = (ssrc: .random(in: 1...UInt32.max), rtx: .random(in: 1...UInt32.max)) }
        if hasAudio { local.sendSSRCs[.audio] = (ssrc: .random(in: 1...UInt32.max), rtx: nil) }
        return local
    }

    public func viewerJoined(_ viewer: String, connection: PeerConnection, media: [SDPNegotiatedMedia]) {
        viewersServed.insert(viewer)
        republisher.addViewer(viewer, connection: connection)
        joinedAt[viewer] = .now
        logger.notice("republishing \(configuration.channel): viewer \(viewer) joined")
    }

    public func handle(_ event: PeerConnectionEvent, from viewer: String) {
        let elapsed = joinedAt[viewer].map { "\((ContinuousClock.now - $0).formatted(.units(allowed: [.milliseconds])))" } ?? "?"
        switch event {
        case .transport(.iceStateChanged(let state)):
            logger.info("republishing \(configuration.channel): viewer \(viewer) ICE \(state) after \(elapsed)")
        case .transport(.selectedPair(let local, let remote)):
            logger.info("republishing \(configuration.channel): viewer \(viewer) pair \(local.kind) \(local.address) ↔ \(remote.kind) \(remote.address) after \(elapsed)")
        case .transport(.failed(let why)):
            logger.warning("republishing \(configuration.channel): viewer \(viewer) connection failed after \(elapsed): \(why)")
        case .transport(.connected):
            logger.notice("republishing \(configuration.channel): viewer \(viewer) connected (DTLS done) after \(elapsed)")
            republisher.viewerConnected(viewer)
        case .keyframeRequested: republisher.keyframeRequested(by: viewer)
        default: break
        }
    }

    public func viewerLeft(_ viewer: String, connection: PeerConnection) {
        republisher.removeViewer(viewer)
        joinedAt[viewer] = nil
        logger.notice("republishing \(configuration.channel): viewer \(viewer) left")
        let (logger, channel) = (logger, configuration.channel)
        Task {
            for stream in await connection.outboundStats() {
                logger.info(
                    "republishing \(channel): viewer \(viewer) \(stream.mid): \(stream.packetsSent) packets, \(stream.nackCount) NACKs, \(stream.retransmittedPackets) retransmitted, \(stream.retransmissionMisses) asked for too late, \(stream.pliCount) keyframe requests")
            }
        }
        guard configuration.onDemand, republisher.viewerCount == 0, pump != nil else { return }
        closing?.cancel()
        let after = configuration.closeAfter
        closing = Task { [weak self] in
            try? await Task.sleep(for: after)
            guard !Task.isCancelled else { return }
            await self?.closeIdleSource()
        }
    }

    private func closeIdleSource() {
        guard republisher.viewerCount == 0, let pump else { return }
        pump.stop()
        self.pump = nil
        logger.notice("republishing \(configuration.channel): no viewers for \(configuration.closeAfter); source closed")
    }
}
