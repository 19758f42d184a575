import RTP
import SDP
import Testing

@testable import WebRTC

/// A video stream begins with padding-only packets (RFC 3550 §5.1) so that the loss of its
/// first media packet is a gap the receiver asks for (RFC 4585 §6.2.1), not an unseen loss
/// that costs the first group of pictures.
@Suite struct StartProbeTests {
    /// A keyframe: SPS, PPS and a 3,000-byte IDR slice (STAP-A then FU-A packets).
    static let keyframe = AnnexB.join([[0x67, 0x42, 0xC0, 0x1F], [0x68, 0xCE, 0x3C, 0x80], [0x65] + Array(repeating: 0xAB, count: 3000)])
    static let slice = AnnexB.join([[0x41] + Array(repeating: 0xCD, count: 500)])

    static func videoStream() -> SendStream {
        SendStream(mid: "0", codec: .h264ConstrainedBaseline, payloadType: 102, ssrc: 1234, rtx: nil)
    }

    @Test func theFirstVideoFrameFollowsTwoPaddingOnlyPackets() throws {
        let stream = Self.videoStream()
        let first = try stream.packets(for: Self.keyframe, rtpTimestamp: 9000, unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        #expect(first.count > 3)
        for probe in first.prefix(2) {
            #expect(probe.payload.isEmpty)
            #expect(probe.timestamp == 9000)
            #expect(!probe.marker)
        }
        let wire = stream.packets(for: Self.slice, rtpTimestamp: 12000, unixSeconds: 0)
        let next = try wire.map { try RTPPacket(parsing: $0) }
        #expect(next.allSatisfy { !$0.payload.isEmpty })  // only the stream's start
        let sequences = (first + next).map(\.sequenceNumber)
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
        #expect(stream.stats.packetsSent == first.count - 2 + next.count)
    }

    @Test func probesCarryThePaddingBitAndCount() throws {
        let stream = Self.videoStream()
        let probe = stream.packets(for: Self.slice, rtpTimestamp: 1, unixSeconds: 0)[0]
        #expect(probe[0] & 0x20 != 0)
        #expect(probe.count == 12 + 4)
        #expect(probe.last == 4)
    }

    @Test func audioStreamsStartWithoutProbes() throws {
        let stream = SendStream(mid: "1", codec: .opus, payloadType: 111, ssrc: 99, rtx: nil)
        let packets = try stream.packets(for: [1, 2, 3], rtpTimestamp: 0, unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        #expect(packets.count == 1)
        #expect(packets[0].payload == [1, 2, 3])
    }

    /// A VP8 keyframe of 3,000 bytes (P=0 in its first byte, RFC 6386 §9.1).
    static let vp8Keyframe: [UInt8] = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + Array(repeating: 0xAB, count: 2994)

    /// The first media packet lost. With the probes it is a gap the receiver asks for.
    /// Without them (aiortc and browsers send none) the earliest packet received cannot
    /// start decoding — an IDR without its SPS and PPS, a VP8 keyframe's second partition
    /// packet — so the receiver asks for the packets before it. Either way the retransmission
    /// completes the keyframe within the stream's start hold.
    @Test(arguments: [(true, "H264"), (false, "H264"), (false, "VP8")])
    func aLostFirstMediaPacketIsAskedForAndTheKeyframeArrives(probing: Bool, codecName: String) throws {
        let codec: SDPCodec = codecName == "VP8" ? .vp8 : .h264ConstrainedBaseline
        let keyframe = codecName == "VP8" ? Self.vp8Keyframe : Self.keyframe
        let sender = SendStream(mid: "0", codec: codec, payloadType: 102, ssrc: 1234, rtx: nil)
        var wire = try sender.packets(for: keyframe, rtpTimestamp: 9000, unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        if !probing { wire.removeFirst(2) }
        let lost = wire[probing ? 2 : 0]
        let receiver = ReceiveStream(mid: "0", codec: codec, ssrc: 1234, now: .now)
        var now = ContinuousClock.now
        var frames: [ReceivedFrame] = []
        for packet in wire where packet.sequenceNumber != lost.sequenceNumber {
            frames += receiver.receive(packet, now: now, unixSeconds: 0)
        }
        var asked: [UInt16] = []
        for _ in 0..<20 {
            now += .milliseconds(20)
            let (released, nack) = receiver.tick(now: now, roundTripTime: .milliseconds(20))
            frames += released
            asked += nack
            for packet in sender.retransmit(nack) { frames += receiver.receive(packet, now: now, unixSeconds: 0) }
        }
        #expect(asked.contains(lost.sequenceNumber))
        #expect(frames.map(\.frame.data) == [keyframe])
        #expect(frames.first?.frame.isKeyframe == true)
        #expect(receiver.stats.framesDropped == 0 && receiver.stats.pliCount == 0)
    }

    /// A stream that begins where a decoder can start asks for nothing before it: a start
    /// probe, or (without probes) a keyframe's first packet.
    @Test(arguments: [true, false])
    func aWholeStartAsksForNothing(probing: Bool) throws {
        let sender = Self.videoStream()
        var wire = try sender.packets(for: Self.keyframe, rtpTimestamp: 9000, unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        if !probing { wire.removeFirst(2) }
        let receiver = ReceiveStream(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 1234, now: .now)
        var now = ContinuousClock.now
        for packet in wire { _ = receiver.receive(packet, now: now, unixSeconds: 0) }
        var asked: [UInt16] = []
        for _ in 0..<10 {
            now += .milliseconds(20)
            asked += receiver.tick(now: now, roundTripTime: .milliseconds(20)).nack
        }
        #expect(asked.isEmpty)
    }

    @Test func paddingOnlyPacketsMakeNoFramesAndDropNone() throws {
        let receiver = ReceiveStream(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 1234, now: .now)
        let sender = Self.videoStream()
        var now = ContinuousClock.now
        var frames: [ReceivedFrame] = []
        for packet in try sender.packets(for: Self.keyframe, rtpTimestamp: 0, unixSeconds: 0).map({ try RTPPacket(parsing: $0) }) {
            frames += receiver.receive(packet, now: now, unixSeconds: 0)
        }
        now += .milliseconds(200)
        frames += receiver.tick(now: now, roundTripTime: nil).frames
        #expect(frames.count == 1)
        #expect(receiver.stats.framesDropped == 0)
    }
}
