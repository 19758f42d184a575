import Foundation
import RTP
import SDP

/// A WebRTC peer connection on a ``WebRTCTransport``: send tracks take encoded frames,
/// received RTP comes out as frames, with the feedback that keeps video watchable — NACK and
/// retransmission (RTX when negotiated), PLI, sender and receiver reports (RFC 3550,
/// RFC 4585, RFC 4588). Media sections come from the SDP negotiation.
public actor PeerConnection {
    public let transport: WebRTCTransport
    public nonisolated let events: AsyncStream<PeerConnectionEvent>
    let continuation: AsyncStream<PeerConnectionEvent>.Continuation
    var media: [SDPNegotiatedMedia]
    var receiveStreams: [UInt32: ReceiveStream] = [:]
    var sendStreams: [String: SendStream] = [:]
    var roundTripTime: Duration?
    /// Received packets dropped before any stream took them.
    public internal(set) var drops = ReceiveDrops()
    let reportSSRC = UInt32.random(in: 1...UInt32.max)
    let cname: String
    private var tasks: [Task<Void, Never>] = []

    /// How often reorder timeouts, NACKs and PLIs are looked at, and RTCP reports sent.
    static let tickInterval: Duration = .milliseconds(20)
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
    public func configure(negotiated: [SDPNegotiatedMedia], sendSSRCs: [SDPCodec.Kind: (ssrc: UInt32, rtx: UInt32?)] = [:]) {
        media = negotiated
        sendStreams = Self.sendStreams(negotiated, sendSSRCs: sendSSRCs)
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

    /// Starts reading the transport and the feedback timers.
    public func start() {
        guard tasks.isEmpty else { return }
        tasks.append(Task { [weak self, transport] in
            for await event in transport.events {
                guard let self else { return }
                await self.handle(event)
            }
            self?.continuation.finish()
        })
        tasks.append(Task { [weak self] in
            var lastReport = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tickInterval)
                guard let self else { return }
                let now = ContinuousClock.now
                await self.tick(now: now, report: now - lastReport >= Self.reportInterval)
                if now - lastReport >= Self.reportInterval { lastReport = now }
            }
        })
    }

    /// Sends one encoded frame on the media section of `kind` (Annex B for H.264/H.265).
    @discardableResult
    public func send(frame: [UInt8], kind: SDPCodec.Kind, rtpTimestamp: UInt32) async throws -> Bool {
        // Mutated in place: a copy of the stream would copy its retransmission buffer (CoW).
        guard let mid = sendStreams.first(where: { $0.value.codec.kind == kind })?.key,
            let packets = sendStreams[mid]?.packets(for: frame, rtpTimestamp: rtpTimestamp, unixSeconds: Date().timeIntervalSince1970)
        else { return false }
        var sent = true
        for packet in packets { sent = try await transport.sendRTP(packet) && sent }
        return sent
    }

    /// The codec negotiated for sending `kind`, if any.
    public func sendCodec(_ kind: SDPCodec.Kind) -> SDPCodec? {
        sendStreams.values.first { $0.codec.kind == kind }?.codec
    }

    /// Asks the senders of received video for a keyframe: a PLI (RFC 4585 §6.3.1) goes out
    /// at the next feedback tick, rate-limited, until a keyframe arrives. Frames keep flowing.
    public func requestKeyframe() {
        for ssrc in receiveStreams.keys where receiveStreams[ssrc]?.codec.kind == .video {
            receiveStreams[ssrc]?.needsKeyframe = true
        }
    }

    public func inboundStats() -> [InboundStreamStats] { receiveStreams.values.map(\.stats).sorted { $0.ssrc < $1.ssrc } }

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
        await transport.close()
        continuation.finish()
    }
}
