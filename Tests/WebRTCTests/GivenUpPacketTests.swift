import RTP
import SDP
import Testing

@testable import WebRTC

/// A packet the reorder buffer gives up may have been a whole frame: no depacketizer sees
/// that loss, yet the frames after it reference the lost picture. A video stream then
/// writes nothing until a keyframe and asks for one (RFC 4585 §6.3.1); audio goes on.
@Suite struct GivenUpPacketTests {
    static let slices = (1...4).map { AnnexB.join([[0x41, UInt8($0)] + Array(repeating: 0xCD, count: 300)]) }

    /// "K" for a keyframe, "S2" for the second slice: short failure messages.
    static func label(_ frame: ReceivedFrame) -> String {
        frame.frame.isKeyframe ? "K" : "S\(frame.frame.data.dropFirst(5).first ?? 0)"
    }

    /// The packets one sender makes of `frames` (a video stream begins with start probes).
    static func wire(codec: SDPCodec, frames: [[UInt8]]) throws -> [RTPPacket] {
        let sender = SendStream(mid: "0", codec: codec, payloadType: 102, ssrc: 1234, rtx: nil)
        var packets: [RTPPacket] = []
        for (index, frame) in frames.enumerated() {
            packets += try sender.packets(for: frame, rtpTimestamp: UInt32(index * 3000), unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        }
        return packets
    }

    /// A keyframe, four one-packet slices, a keyframe; the second slice's packet is lost
    /// and never comes back.
    @Test func videoWaitsForAKeyframeAfterAGivenUpFrame() throws {
        let frames = [StartProbeTests.keyframe] + Self.slices + [StartProbeTests.keyframe]
        let wire = try Self.wire(codec: .h264ConstrainedBaseline, frames: frames)
        let lost = try #require(wire.first { $0.payload.starts(with: [0x41, 2]) })
        let finalKeyframe = wire.drop(while: { $0.timestamp < 15000 })
        let receiver = ReceiveStream(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 1234, now: .now)
        var now = ContinuousClock.now
        var delivered: [ReceivedFrame] = []
        var plis: [Int] = []
        for packet in wire where packet.timestamp < 15000 && packet.sequenceNumber != lost.sequenceNumber {
            delivered += receiver.receive(packet, now: now, unixSeconds: 0)
        }
        for step in 1...60 {
            now += .milliseconds(20)
            delivered += receiver.tick(now: now, roundTripTime: .milliseconds(20)).frames
            if receiver.pictureLossIndicationDue(now: now) { plis.append(step) }
        }
        #expect(delivered.map(Self.label) == ["K", "S1"])
        #expect(receiver.stats.packetsGivenUp == 1)
        #expect(receiver.stats.framesDropped == 2)  // the third and fourth slices
        // Once the gap is given up: the wait counts four NACK rounds of a round trip plus a
        // read interval each, and jitter (580 ms with 100-ms reads).
        let wait = RTPReorderBuffer.waitForRetransmission(roundTripTime: .milliseconds(20), readInterval: PeerConnection.tickInterval)
        #expect(!plis.isEmpty && plis[0] <= Int(wait / .milliseconds(20)) + 2, "\(plis), wait \(wait)")
        for packet in finalKeyframe { delivered += receiver.receive(packet, now: now, unixSeconds: 0) }
        #expect(delivered.map(Self.label) == ["K", "S1", "K"])
        now += .milliseconds(400)
        _ = receiver.tick(now: now, roundTripTime: .milliseconds(20))
        #expect(!receiver.pictureLossIndicationDue(now: now))
    }

    @Test func audioGoesOnAfterAGivenUpPacket() throws {
        let sender = SendStream(mid: "1", codec: .opus, payloadType: 111, ssrc: 99, rtx: nil)
        let wire = try (0..<6).flatMap { index in
            try sender.packets(for: [UInt8(index), 1, 2], rtpTimestamp: UInt32(index * 960), unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        }
        let receiver = ReceiveStream(mid: "1", codec: .opus, ssrc: 99, now: .now)
        var now = ContinuousClock.now
        var delivered: [ReceivedFrame] = []
        for (index, packet) in wire.enumerated() where index != 2 { delivered += receiver.receive(packet, now: now, unixSeconds: 0) }
        for _ in 1...30 {
            now += .milliseconds(20)
            delivered += receiver.tick(now: now, roundTripTime: nil).frames
        }
        #expect(delivered.map { $0.frame.data[0] } == [0, 1, 3, 4, 5])
        #expect(receiver.stats.packetsGivenUp == 1 && receiver.stats.framesDropped == 0)
    }
}
