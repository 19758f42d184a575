import RTP
import Testing

/// Where a decoder can start (a keyframe's first packet, with the parameter sets for H.264
/// and H.265), and the NACKs a stream asks for before an earliest packet that is no such
/// start (RFC 4585 §6.2.1).
@Suite struct DecodingStartTests {
    static func packet(_ payload: [UInt8], sequence: UInt16 = 1) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: 5, payload: payload)
    }

    /// RFC 6184: an SPS alone or first in a STAP-A, an SEI or access unit delimiter start;
    /// an IDR (its parameter sets lost), FU-A fragments and other slices do not.
    @Test func h264StartsAtItsParameterSets() {
        let depacketizer = H264RTP.Depacketizer()
        let starts: [[UInt8]] = [[0x67, 0x42], [0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE], [0x06, 0x05], [0x09, 0x10]]
        let others: [[UInt8]] = [[0x65, 0x88], [0x7C, 0x85, 0x88], [0x7C, 0x05, 0x88], [0x41, 0x9A], [0x18, 0x00], []]
        #expect(starts.allSatisfy { depacketizer.canStartDecoding(Self.packet($0)) })
        #expect(others.allSatisfy { !depacketizer.canStartDecoding(Self.packet($0)) })
    }

    /// RFC 7798: VPS, SPS, AUD or prefix SEI alone or first in an aggregation packet.
    @Test func h265StartsAtItsParameterSets() {
        let depacketizer = H265RTP.Depacketizer()
        let starts: [[UInt8]] = [[0x40, 0x01, 0x0C], [0x42, 0x01, 0x01], [0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C], [0x46, 0x01, 0x50], [0x4E, 0x01, 0x05]]
        let others: [[UInt8]] = [[0x26, 0x01, 0xAF], [0x62, 0x01, 0x93, 0xAF], [0x02, 0x01, 0xD0], [0x60, 0x01, 0x00]]
        #expect(starts.allSatisfy { depacketizer.canStartDecoding(Self.packet($0)) })
        #expect(others.allSatisfy { !depacketizer.canStartDecoding(Self.packet($0)) })
    }

    /// RFC 7741: S=1, partition 0 and a keyframe (P=0) in the payload header after the
    /// descriptor, also with a 15-bit picture id in it.
    @Test func vp8StartsAtAKeyframesFirstPacket() {
        let depacketizer = VP8RTP.Depacketizer()
        #expect(depacketizer.canStartDecoding(Self.packet([0x10, 0x10, 0x02, 0x00, 0x9D])))
        #expect(depacketizer.canStartDecoding(Self.packet([0x90, 0x80, 0x81, 0x23, 0x10, 0x02, 0x00])))
        #expect(!depacketizer.canStartDecoding(Self.packet([0x10, 0x11, 0x02])))  // an interframe
        #expect(!depacketizer.canStartDecoding(Self.packet([0x00, 0xAB, 0xCD])))  // not S
        #expect(!depacketizer.canStartDecoding(Self.packet([0x11, 0x10, 0x02])))  // partition 1
        #expect(!depacketizer.canStartDecoding(Self.packet([0x90, 0x80])))  // descriptor only
    }

    @Test func everyAudioPacketStarts() {
        #expect(AudioRTP.Depacketizer().canStartDecoding(Self.packet([0xFC, 0x01])))
    }

    @Test func theStartAsksForThePacketsBeforeItsEarliest() {
        var generator = NACKGenerator()
        generator.received(1000)
        generator.received(1001)
        #expect(generator.earliestAtStart == 1000)
        generator.requestBeforeEarliest(count: 4)
        #expect(generator.due(now: .now, roundTripTime: nil) == [996, 997, 998, 999])
        generator.received(999)  // a retransmission: the earliest moves, nothing is asked twice
        #expect(generator.earliestAtStart == 999)
        generator.requestBeforeEarliest(count: 4)
        #expect(generator.missingCount == 4)  // 995 added; 996…998 still open
        #expect(generator.recovered == 1)
    }

    @Test func acrossTheWrapAndNoFurtherThanTheStartWindow() {
        var generator = NACKGenerator()
        generator.received(1)
        generator.requestBeforeEarliest(count: 3)
        #expect(generator.due(now: .now, roundTripTime: nil) == [65_534, 65_535, 0])
        var far = NACKGenerator()
        far.received(5000)
        for _ in 0..<30 { far.requestBeforeEarliest(count: 4) }
        #expect(far.missingCount == 4)
        far.received(4990)  // reordered from before the start: 4991…4995 join the missing
        far.requestBeforeEarliest(count: 100)
        #expect(far.missingCount == 5000 - (5000 - NACKGenerator.startPackets) - 1)
    }

    @Test func nothingIsAskedBeforeTheStartOnceItIsOver() {
        var generator = NACKGenerator()
        for sequence in UInt16(100)...UInt16(100 + NACKGenerator.startPackets + 1) { generator.received(sequence) }
        #expect(generator.earliestAtStart == nil)
        generator.requestBeforeEarliest(count: 4)
        #expect(generator.missingCount == 0)
    }
}
