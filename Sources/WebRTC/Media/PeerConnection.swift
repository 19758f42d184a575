import Foundation
import NIOCore
import RTP
import SDP

/// A WebRTC peer connection on a ``WebRTCTransport``: send tracks take encoded frames,
/// received RTP comes out as frames, with the feedback that keeps video watchable — NACK and
/// retransmission (RTX when negotiated), PLI, sender and receiver reports (RFC 3550,
/// RFC 4585, RFC 4588). Media sections come from the SDP negotiation. The receive side runs
/// on the transport's event loop (``ReceivePipeline``); this actor holds the send side.
public actor PeerConnection {
    public nonisolated let transport: WebRTCTransport
    public nonisolated let events: AsyncStream<PeerConnectionEvent>
    let continuation: AsyncStream<PeerConnectionEvent>.Continuation
    var media: [SDPNegotiatedMedia]
    var sendStreams: [String: SendStream] = [:]
    var roundTripTime: Duration?
    /// The receive side, on the transport's event loop once started.
    var pipeline: NIOLoopBound<ReceivePipeline>?
    /// Frames delivered so far, readable without awaiting the connection.
    public nonisolated let activity = ReceiveActivity()
    let reportSSRC = UInt32.random(in: 1...UInt32.max)
    let cname: String
    private var tasks: [Task<Void, Never>] = []
    /// The loop's ticker that sends this connection's reports every ``reportInterval``.
    private var reportTicker: LoopReceiverTicker?
    /// RTP timestamps of fan-out frames (``sendQueued(_:)``), made on the first.
    var fanoutClock: FanoutClock?
    /// Send stream per kind for fan-out frames; cleared when the media sections change.
    var fanoutRoutes: [SDPCodec.Kind: FanoutRoute] = [:]

    /// The connection runs on its transport's event loop: sending a frame from here reaches
    /// the socket without a thread switch.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        transport.eventLoop.executor.asUnownedSerialExecutor()
    }

    /// How often a receiving connection's sockets are read (``LoopReceiverTicker``) and
    /// reorder timeouts, NACKs and PLIs looked at. A longer interval does not only save
    /// wake-ups: each packet costs less when a read takes more of them in a row (warm
    /// caches) — `recvmmsg`, SRTP and the receive pipeline all fell by about 30 % per packet
    /// from 40 ms to 100 ms. 100 ms rather than 40 cuts a recorder's CPU per session by a
    /// fifth to a quarter at 8 sessions (`peergate bench ingest --janus`, five alternating
    /// pairs: 0.0024–0.0029 against 0.0030–0.0041 CPU-s per session-second), as 40 rather
    /// than 20 cut it by a sixth. A
    /// frame reaches the recorder up to 100 ms after its last packet, and each NACK round
    /// lasts that much longer, which the reorder wait counts
    /// (``RTPReorderBuffer/waitForRetransmission(roundTripTime:readInterval:)``); the
    /// impaired-link recording test (5 % loss, 200-ms round trips) checks that no frame is
    /// lost to it (602 of 600 decoded in each of 4 runs). A socket holds what arrives between reads (``UDPSocket/receiveBufferBytes``).
    static let tickInterval: Duration = .milliseconds(100)
    static let reportInterval: Duration = .seconds(1)

    /// - Parameters:
    ///   - negotiated: the media sections of the offer/answer exchange.
    ///   - sendSSRCs: the SSRCs this side announced per kind (with the RTX SSRC for video).
    public init(transport: WebRTCTransport, negotiated: [SDPNegotiatedMedia] = [], sendSSRCs: [SDPCodec.Kind: (ssrc: UInt32, rtx: UInt32?)] = [:], cname: String = "peergate") {
        self.transport = transport
        media = negotiated
        self.cname = cname
        (events, continuation) = AsyncStream.makeStream(of: PeerConnectionEvent.self, bufferingPolicy: .bufferingNewest(8192))
        sendStreams = Self.sendStreams(negotiated, sendSSRCs: sendSSRCs)
    }

    /// Sets the media sections once the offer/answer exchange finished (an offerer learns
    /// them from the answer, after its transport started and gathered).
    public func configure(negotiated: [SDPNegotiatedMedia], sendSSRCs: [SDPCodec.Kind: (ssrc: UInt32, rtx: UInt32?)] = [:]) async {
        media = negotiated
        sendStreams = Self.sendStreams(negotiated, sendSSRCs: sendSSRCs)
        fanoutRoutes = [:]
        _ = await onPipeline { $0.media = negotiated }
    }

    /// Runs `body` with the receive side on its event loop; nil before ``start()`` or after close.
    func onPipeline<Result: Sendable>(_ body: @escaping @Sendable (ReceivePipeline) -> Result) async -> Result? {
        guard let pipeline else { return nil }
        return try? await transport.eventLoop.submit { body(pipeline.value) }.get()
    }

    /// A send stream per section this side sends on, with its first (preferred) codec.
    static func sendStreams(_ negotiated: [SDPNegotiatedMedia], sendSSRCs: [SDPCodec.Kind: (ssrc: UInt32, rtx: UInt32?)]) -> [String: SendStream] {
        var streams: [String: SendStream] = [:]
        for section in negotiated where section.direction == .sendrecv || section.direction == .sendonly {
            guard let ssrcs = sendSSRCs[section.kind], let (payloadType, codec) = section.codecs.first else { continue }
            let rtxType = section.retransmission.first { $0.value == payloadType }?.key
            var rtx: (ssrc: UInt32, payloadType: UInt8)?
            if let rtxSSRC = ssrcs.rtx, let rtxType { rtx = (rtxSSRC, rtxType) }
            streams[section.mid] = SendStream(mid: section.mid, codec: codec, payloadType: payloadType, ssrc: ssrcs.ssrc, rtx: rtx)
        }
        return streams
    }

    /// Starts receiving on the transport's event loop, reading its other events, and the
    /// report timer.
    public func start() async {
        guard tasks.isEmpty, pipeline == nil else { return }
        let (media, continuation, activity, reportSSRC) = (media, continuation, activity, reportSSRC)
        pipeline = try? await transport.withDriver { [weak self] driver in
            let pipeline = ReceivePipeline(media: media, events: continuation, activity: activity, reportSSRC: reportSSRC)
            // RTCP is answered where it is read: this connection runs on the same loop.
            pipeline.rtcpHandler = { packets in
                self?.assumeIsolated { connection in for packet in packets { connection.handle(packet) } }
            }
            driver.attach(pipeline, tickInterval: Self.tickInterval)
            return NIOLoopBound(pipeline, eventLoop: driver.eventLoop)
        }
        tasks.append(Task { [weak self, transport] in
            for await event in transport.events {
                guard let self else { return }
                await self.handle(event)
            }
            self?.continuation.finish()
        })
        // Reports go out from the loop's one ticker for them (this runs on the loop): a
        // task sleeping a second per connection woke a pool thread and hopped back to the
        // loop for every connection.
        let ticker = LoopReceiverTicker.on(transport.eventLoop, interval: Self.reportInterval)
        ticker.add(self) { [weak self] in self?.assumeIsolated { $0.sendReports() } }
        reportTicker = ticker
    }

    /// Received frames go to `handler` on the transport's event loop as each completes,
    /// instead of to ``events`` — for consumers that hand them on without waiting (a
    /// recorder queues them for its own thread). The handler must not block.
    public func setFrameHandler(_ handler: @escaping @Sendable (ReceivedFrame) -> Void) async {
        _ = await onPipeline { $0.frameHandler = handler }
    }

    /// Sends one encoded frame on the media section of `kind` (Annex B for H.264/H.265).
    @discardableResult
    public func send(frame: [UInt8], kind: SDPCodec.Kind, rtpTimestamp: UInt32) async throws -> Bool {
        // Mutated in place: a copy of the stream would copy its retransmission buffer (CoW).
        guard let mid = sendStreams.first(where: { $0.value.codec.kind == kind })?.key,
            let packets = sendStreams[mid]?.packets(for: frame, rtpTimestamp: rtpTimestamp, unixSeconds: Date().timeIntervalSince1970)
        else { return false }
        return try await transport.sendRTP(packets: packets)
    }

    /// Sends a frame split into payloads once for many connections (fan-out); a frame
    /// packetized for another codec than the one negotiated here is split again.
    @discardableResult
    public func send(_ packetized: PacketizedFrame, kind: SDPCodec.Kind, rtpTimestamp: UInt32) async throws -> Bool {
        guard let mid = sendStreams.first(where: { $0.value.codec.kind == kind })?.key, let codec = sendStreams[mid]?.codec else { return false }
        guard codec.name.caseInsensitiveCompare(packetized.codecName) == .orderedSame else {
            return try await send(frame: packetized.frame, kind: kind, rtpTimestamp: rtpTimestamp)
        }
        guard let packets = sendStreams[mid]?.packets(for: packetized.frame, parts: packetized.parts, rtpTimestamp: rtpTimestamp, unixSeconds: Date().timeIntervalSince1970)
        else { return false }
        return try await transport.sendRTP(packets: packets)
    }

    /// The codec negotiated for sending `kind`, if any.
    public func sendCodec(_ kind: SDPCodec.Kind) -> SDPCodec? {
        sendStreams.values.first { $0.codec.kind == kind }?.codec
    }

    /// Asks the senders of received video for a keyframe: a PLI (RFC 4585 §6.3.1) goes out
    /// at the next feedback tick, rate-limited, until a keyframe arrives. Frames keep flowing.
    public func requestKeyframe() async {
        _ = await onPipeline { $0.requestKeyframe() }
    }

    public func inboundStats() async -> [InboundStreamStats] { await onPipeline { $0.inboundStats } ?? [] }

    /// Received packets dropped before any stream took them.
    public var drops: ReceiveDrops {
        get async { await onPipeline { $0.drops } ?? ReceiveDrops() }
    }

    public func outboundStats() -> [OutboundStreamStats] {
        sendStreams.values.map { stream in
            var stats = stream.stats
            stats.roundTripTime = roundTripTime
            return stats
        }.sorted { $0.mid < $1.mid }
    }

    /// Sends BYE, stops the timers and closes the transport.
    public func close() async {
        let bye = RTCPPacket.bye(RTCPBye(ssrcs: sendStreams.values.map(\.ssrc) + [reportSSRC]))
        _ = try? await transport.sendRTCP(bye.bytes)
        for task in tasks { task.cancel() }
        tasks.removeAll()
        reportTicker?.remove(ObjectIdentifier(self))
        reportTicker = nil
        await transport.close()
        continuation.finish()
    }
}
