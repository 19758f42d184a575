import PeerGateTestSupport
import RTP
import Testing

/// The feedback pieces together over a simulated link with 5 % random loss each way and
/// 20 ms one-way delay: the receiver NACKs gaps, the sender answers from its retransmission
/// buffer over RTX, and at least 99 % of the frames arrive whole (DESIGN §3, step 05).
@Suite struct LossRecoveryTests {
    enum Event {
        case media(RTPPacket)
        case nack([UInt16])
    }

    struct Outcome {
        var delivered: Int
        var requested: Int
        var givenUp: Int
    }

    /// 300 H.264 frames of 4,000 bytes at 30 fps over a link losing 5 % each way, each
    /// datagram delayed `delay` ± `jitter` (uniform: packets reorder), the receiver's reorder
    /// buffer waiting `wait` for a gap, NACKs repeated each measured round trip.
    static func simulate(seed: UInt64, delay: Duration, jitter: Duration, wait: Duration) -> Outcome {
        var random = SeededGenerator(seed: seed)
        let start = ContinuousClock.now
        var inFlight: [(arrival: ContinuousClock.Instant, event: Event)] = []
        func send(_ event: Event, at now: ContinuousClock.Instant) {
            guard Double.random(in: 0..<1, using: &random) >= 0.05 else { return }
            let bound = Int64(jitter / .microseconds(1))
            let spread = Duration.microseconds(bound == 0 ? 0 : Int64.random(in: -bound...bound, using: &random))
            inFlight.append((now + delay + spread, event))
        }

        var payloader = H264RTP.Payloader(maxPayload: 1000)
        var retransmissions = RetransmissionBuffer(capacity: 2048)
        var rtx = RTXEncoder(ssrc: 77, payloadType: 97, firstSequence: 10)
        var sequence: UInt16 = 65_000  // wraps during the run
        var reorder = RTPReorderBuffer(capacity: 1024, maxWait: wait)
        var nacks = NACKGenerator()
        var depacketizer = H264RTP.Depacketizer()
        var delivered = 0
        let frames = 300

        var now = start
        var frameIndex = 0
        while now < start + .seconds(14) {
            if frameIndex < frames, now >= start + .milliseconds(33 * frameIndex) {
                let idr: [UInt8] = [frameIndex % 30 == 0 ? 0x65 : 0x41] + Array(repeating: UInt8(truncatingIfNeeded: frameIndex), count: 4000)
                let payloads = payloader.payloads(for: AnnexB.join([idr]))
                for (index, payload) in payloads.enumerated() {
                    let packet = RTPPacket(marker: index == payloads.count - 1, payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(frameIndex) * 3000, ssrc: 5, payload: payload)
                    sequence &+= 1
                    retransmissions.store(packet, now: now)
                    send(.media(packet), at: now)
                }
                frameIndex += 1
            }
            let arrived = inFlight.filter { $0.arrival <= now }
            inFlight.removeAll { $0.arrival <= now }
            for (_, event) in arrived {
                switch event {
                case .media(var packet):
                    if packet.ssrc == 77, let original = RTXEncoder.unwrap(packet, originalPayloadType: 96, originalSSRC: 5) { packet = original }
                    nacks.received(packet.sequenceNumber)
                    for ordered in reorder.insert(packet, now: now) where depacketizer.push(ordered) != nil { delivered += 1 }
                case .nack(let lost):
                    for packet in retransmissions.packets(for: lost, now: now) { send(.media(rtx.wrap(packet)), at: now) }
                }
            }
            for ordered in reorder.expire(now: now) where depacketizer.push(ordered) != nil { delivered += 1 }
            let lost = nacks.due(now: now, roundTripTime: delay * 2)
            if !lost.isEmpty { send(.nack(lost), at: now) }
            now += .milliseconds(5)
        }
        return Outcome(delivered: delivered, requested: nacks.requested, givenUp: reorder.lost)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func nackRecoversFramesUnderFivePercentLoss(seed: UInt64) {
        let outcome = Self.simulate(seed: seed, delay: .milliseconds(20), jitter: .zero, wait: .milliseconds(500))
        #expect(Double(outcome.delivered) >= 0.99 * 300, "\(outcome)")
        #expect(outcome.requested > 0)
    }

    /// netem's `loss 5% delay 100ms 30ms`: a 200 ms round trip; a reorder wait of four NACK
    /// rounds keeps ≥ 99 % of the frames where the fixed 300 ms gives up retransmissions
    /// still on their way.
    @Test(arguments: [UInt64(1), 2, 3])
    func aWaitOfSeveralRoundTripsRecoversFramesOverASlowLink(seed: UInt64) {
        let wait = RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(200))
        #expect(wait == .milliseconds(900))
        let adaptive = Self.simulate(seed: seed, delay: .milliseconds(100), jitter: .milliseconds(30), wait: wait)
        #expect(Double(adaptive.delivered) >= 0.99 * 300, "\(adaptive)")
        let fixed = Self.simulate(seed: seed, delay: .milliseconds(100), jitter: .milliseconds(30), wait: .milliseconds(300))
        #expect(fixed.delivered < adaptive.delivered && fixed.givenUp > adaptive.givenUp, "fixed \(fixed), adaptive \(adaptive)")
    }

    @Test func theWaitFollowsTheRoundTripWithinBounds() {
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: nil) == .milliseconds(300))
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(1)) == .milliseconds(300))
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(50)) == .milliseconds(300))
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(100)) == .milliseconds(500))
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .seconds(3)) == .seconds(2))
        // Read every 40 ms: each round waits for a read too.
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(1), readInterval: .milliseconds(40)) == .milliseconds(300))
        #expect(RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(100), readInterval: .milliseconds(40)) == .milliseconds(660))
    }

    @Test func withoutNACKTheSameLossCostsManyFrames() {
        var random = SeededGenerator(seed: 1)
        var payloader = H264RTP.Payloader(maxPayload: 1000)
        var depacketizer = H264RTP.Depacketizer()
        var delivered = 0
        var sequence: UInt16 = 0
        for frameIndex in 0..<300 {
            let payloads = payloader.payloads(for: AnnexB.join([[0x41] + Array(repeating: 1, count: 4000)]))
            for (index, payload) in payloads.enumerated() {
                defer { sequence &+= 1 }
                guard Double.random(in: 0..<1, using: &random) >= 0.05 else { continue }
                let packet = RTPPacket(marker: index == payloads.count - 1, payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(frameIndex) * 3000, ssrc: 5, payload: payload)
                if depacketizer.push(packet) != nil { delivered += 1 }
            }
        }
        #expect(delivered < 270)  // about 1 − 0.95⁵ of the frames lose a packet
    }
}
