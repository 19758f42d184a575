import RTP
import SDP

/// The receive pipeline of one remote source: statistics, NACK bookkeeping, reordering,
/// depacketizing, keyframe requests, clock mapping (DESIGN §3: composable pieces). A class:
/// its connection looks it up for every packet, and a struct this size in a dictionary was
/// copied or mutated through the dictionary's accessors each time. Only its connection's
/// event loop touches it.
final class ReceiveStream {
    typealias Instant = ContinuousClock.Instant

    let mid: String
    let codec: SDPCodec
    let ssrc: UInt32
    /// The payload type this source's packets last resolved to a (non-RTX) codec of the
    /// negotiation; nil until then and after a new negotiation (``ReceivePipeline``).
    var resolvedPayloadType: UInt8?
    var statistics: ReceiverStatistics
    var nacks = NACKGenerator()
    var reorder = RTPReorderBuffer()
    var depacketizer: any RTPDepacketizer
    var keyframes = KeyframeRequester()
    var clock: RTPClock
    var stats: InboundStreamStats
    /// Until a keyframe arrives nothing is delivered (a decoder could not use it).
    var waitingForKeyframe: Bool
    var needsKeyframe = false
    /// When the first packet arrived, and whether a keyframe or a frame that needed one
    /// came since: until then a missing keyframe may still be on its way.
    var firstPacketAt: Instant?
    var startDecided = false
    /// The last packet the reorder buffer released: one after it that does not follow it
    /// means the packets between were given up.
    var lastReleased: UInt16?
    /// How long a stream's first keyframe may take before a PLI asks for one (unless a
    /// frame that needed it came first): about a NACK round on a slow path.
    static let firstKeyframeGrace: Duration = .milliseconds(500)
    /// How many packets before a start that cannot be decoded are asked for at once: a
    /// keyframe's parameter sets take one or two; each one that arrives and still cannot
    /// start asks again, up to the NACK generator's start window.
    static let startRequestPackets = 4

    init(mid: String, codec: SDPCodec, ssrc: UInt32, now: Instant) {
        self.mid = mid
        self.codec = codec
        self.ssrc = ssrc
        statistics = ReceiverStatistics(ssrc: ssrc, clockRate: codec.clockRate, origin: now)
        depacketizer = CodecPackets.depacketizer(for: codec)
        clock = RTPClock(clockRate: codec.clockRate)
        stats = InboundStreamStats(ssrc: ssrc, mid: mid)
        waitingForKeyframe = codec.kind == .video
        needsKeyframe = codec.kind == .video
    }

    /// A packet of this source (RTX already unwrapped); returns the frames it completes.
    func receive(_ packet: RTPPacket, now: Instant, unixSeconds: Double) -> [ReceivedFrame] {
        if firstPacketAt == nil { firstPacketAt = now }
        statistics.received(packet, now: now)
        nacks.received(packet.sequenceNumber)
        // While the start is held, an earliest packet a decoder cannot start with means the
        // keyframe's first packets were lost unseen: ask for the ones before it. A padding-
        // only packet is a sender's start probe, with nothing before it.
        if codec.kind == .video, !reorder.hasStarted, !packet.payload.isEmpty, nacks.earliestAtStart == packet.sequenceNumber,
            !depacketizer.canStartDecoding(packet)
        {
            nacks.requestBeforeEarliest(count: Self.startRequestPackets)
        }
        clock.arrival(rtpTimestamp: packet.timestamp, unixSeconds: unixSeconds, now: now)
        stats.packetsReceived += 1
        switch reorder.admit(packet, now: now) {
        case .one(let packet): return deliver(CollectionOfOne(packet))
        case .many(let packets): return deliver(packets)
        }
    }

    /// Gaps given up, and the NACKs due now.
    func tick(now: Instant, roundTripTime: Duration?) -> (frames: [ReceivedFrame], nack: [UInt16]) {
        if codec.kind == .video {
            reorder.maxWait = RTPReorderBuffer.waitForRetransmission(roundTripTime: roundTripTime, readInterval: PeerConnection.tickInterval)
        }
        let frames = deliver(reorder.expire(now: now))
        let lost = codec.kind == .video ? nacks.due(now: now, roundTripTime: roundTripTime) : []
        if !lost.isEmpty { stats.nackCount += 1 }
        stats.packetsLost = statistics.cumulativeLost
        stats.packetsGivenUp = reorder.lost
        stats.jitterSeconds = statistics.jitter / Double(codec.clockRate)
        return (frames, lost)
    }

    /// Whether to send a PLI now (a keyframe is needed and the rate limit allows), not while
    /// the stream's start is held: the keyframe a sender puts first (a GOP cache's) may be in
    /// that hold, and a PLI then makes the sender repeat its group of pictures.
    func pictureLossIndicationDue(now: Instant) -> Bool {
        guard needsKeyframe, reorder.hasStarted else { return false }
        // The first keyframe (a GOP cache's, a large one in many packets, one waiting for a
        // retransmission) gets a grace period unless a frame that needed it came first.
        if !startDecided, let firstPacketAt, now - firstPacketAt < Self.firstKeyframeGrace { return false }
        guard keyframes.shouldRequest(now: now) else { return false }
        stats.pliCount += 1
        return true
    }

    private func deliver(_ packets: some Sequence<RTPPacket>) -> [ReceivedFrame] {
        var frames: [ReceivedFrame] = []
        for packet in packets {
            if let lastReleased, packet.sequenceNumber != lastReleased &+ 1 { gapGivenUp() }
            lastReleased = packet.sequenceNumber
            // Padding-only packets (RFC 3550 §5.1: start probes, bandwidth probes) hold a
            // sequence number and no media; they have done their part in the reorder buffer.
            guard !packet.payload.isEmpty else { continue }
            let dropped = depacketizer.droppedFrames
            if let frame = depacketizer.push(packet) {
                startDecided = true
                if waitingForKeyframe && !frame.isKeyframe {
                    stats.framesDropped += 1
                    continue
                }
                waitingForKeyframe = false
                if frame.isKeyframe { needsKeyframe = false }
                stats.framesReceived += 1
                frames.append(ReceivedFrame(mid: mid, codec: codec, ssrc: ssrc, frame: frame, wallClock: clock.unixSeconds(of: frame.rtpTimestamp)))
            }
            if depacketizer.droppedFrames > dropped {
                startDecided = true
                // RFC 4585 §6.3.1: a frame is undecodable; write nothing until the next keyframe.
                stats.framesDropped += depacketizer.droppedFrames - dropped
                if codec.kind == .video {
                    waitingForKeyframe = true
                    needsKeyframe = true
                }
            }
        }
        return frames
    }

    /// Packets the reorder buffer gave up (waited out, or past its capacity). In a video
    /// stream the frame that follows may reference a picture among them, and a frame a
    /// decoder cannot reconstruct must not be written: nothing goes out until a keyframe,
    /// which a PLI asks for (RFC 4585 §6.3.1) — as a whole frame lost within a gap, which
    /// no depacketizer can see, would otherwise slip through.
    private func gapGivenUp() {
        guard codec.kind == .video else { return }
        startDecided = true
        waitingForKeyframe = true
        needsKeyframe = true
    }
}
