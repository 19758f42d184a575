import RTP
import SDP
import Testing

@testable import WebRTC

/// A stream's first keyframe gets half a second before a PLI asks for one (RFC 4585
/// §6.3.1 requests are for pictures that cannot be decoded): the keyframe a republisher
/// sends first from its cache, or a large one whose last packet waits for a retransmission,
/// is on its way, and an early PLI only makes the sender repeat its group of pictures. A
/// stream that begins with a frame needing a keyframe asks at once.
@Suite struct FirstKeyframeGraceTests {
    static func packets(_ frames: [[UInt8]]) throws -> [RTPPacket] {
        let sender = SendStream(mid: "0", codec: .h264ConstrainedBaseline, payloadType: 102, ssrc: 1234, rtx: nil)
        var packets: [RTPPacket] = []
        for (index, frame) in frames.enumerated() {
            packets += try sender.packets(for: frame, rtpTimestamp: UInt32(index * 3000), unixSeconds: 0).map { try RTPPacket(parsing: $0) }
        }
        return packets.filter { !$0.payload.isEmpty }  // without the start probes
    }

    /// Feeds `packets` at the start, then ticks every 20 ms for a second; returns when
    /// (ms after the start) each PLI was due.
    static func pliTimes(_ packets: [RTPPacket], late: RTPPacket? = nil, lateAt: Int = 0) -> [Int] {
        let start = ContinuousClock.now
        let receiver = ReceiveStream(mid: "0", codec: .h264ConstrainedBaseline, ssrc: 1234, now: start)
        for packet in packets { _ = receiver.receive(packet, now: start, unixSeconds: 0) }
        var times: [Int] = []
        for step in 1...50 {
            let now = start + .milliseconds(20 * step)
            if let late, 20 * step == lateAt { _ = receiver.receive(late, now: now, unixSeconds: 0) }
            _ = receiver.tick(now: now, roundTripTime: .milliseconds(20))
            if receiver.pictureLossIndicationDue(now: now) { times.append(20 * step) }
        }
        return times
    }

    @Test func aKeyframeWhoseLastPacketComesLateIsNotAskedFor() throws {
        let keyframe = try Self.packets([StartProbeTests.keyframe])
        #expect(keyframe.count > 2)
        #expect(Self.pliTimes(Array(keyframe.dropLast()), late: keyframe.last, lateAt: 300) == [])
    }

    @Test func aKeyframeThatNeverCompletesIsAskedForAfterHalfASecond() throws {
        let keyframe = try Self.packets([StartProbeTests.keyframe])
        let times = Self.pliTimes(Array(keyframe.dropLast()))
        #expect(times.first.map { $0 >= 500 && $0 <= 540 } == true, "\(times)")
    }

    @Test func aStreamThatBeginsWithAFrameNeedingAKeyframeAsksAtOnce() throws {
        let packets = try Self.packets([StartProbeTests.slice, StartProbeTests.slice])
        let times = Self.pliTimes(packets)
        #expect(times.first.map { $0 < 500 } == true, "\(times)")
    }
}
