import RTP
import Testing

/// The receive and send feedback pieces: reordering, NACK requests, retransmission, RTX,
/// keyframe requests (RFC 3550 §A.1, RFC 4585, RFC 4588).
@Suite struct FeedbackTests {
    static let start = ContinuousClock.now

    static func packet(_ sequence: UInt16) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(sequence) * 3000, ssrc: 5, payload: [UInt8(truncatingIfNeeded: sequence)])
    }

    @Test func unwrapperFollowsWrapAroundsBothWays() {
        var unwrapper = SequenceUnwrapper()
        let first = unwrapper.unwrap(65_534)
        let value1 = unwrapper.unwrap(65_535)
        #expect(value1 == first + 1)
        let value2 = unwrapper.unwrap(0)
        #expect(value2 == first + 2)
        #expect(unwrapper.unwrap(65_533) == first - 1)  // late, before the wrap
        let value3 = unwrapper.unwrap(5)
        #expect(value3 == first + 7)
    }

    @Test func reorderBufferDeliversInOrderAndCountsDuplicates() {
        var buffer = RTPReorderBuffer(startupWait: .zero)
        let value4 = buffer.insert(Self.packet(10), now: Self.start)
        #expect(value4.map(\.sequenceNumber) == [10])
        let value5 = buffer.insert(Self.packet(12), now: Self.start)
        #expect(value5.isEmpty)
        let value6 = buffer.insert(Self.packet(13), now: Self.start)
        #expect(value6.isEmpty)
        let value7 = buffer.insert(Self.packet(11), now: Self.start)
        #expect(value7.map(\.sequenceNumber) == [11, 12, 13])
        let value8 = buffer.insert(Self.packet(12), now: Self.start)
        #expect(value8.isEmpty)
        #expect(buffer.late == 1)
        let value9 = buffer.insert(Self.packet(15), now: Self.start)
        #expect(value9.isEmpty)
        let value10 = buffer.insert(Self.packet(15), now: Self.start)
        #expect(value10.isEmpty)
        #expect(buffer.duplicates == 1)
    }

    @Test func reorderBufferGivesUpAGapAfterMaxWaitOrWhenFull() {
        var buffer = RTPReorderBuffer(capacity: 4, maxWait: .milliseconds(100), startupWait: .zero)
        _ = buffer.insert(Self.packet(65_535), now: Self.start)
        #expect(buffer.insert(Self.packet(1), now: Self.start).isEmpty)  // 0 missing, across the wrap
        let value11 = buffer.expire(now: Self.start + .milliseconds(50))
        #expect(value11.isEmpty)
        #expect(buffer.nextDeadline == Self.start + .milliseconds(100))
        let value12 = buffer.expire(now: Self.start + .milliseconds(100))
        #expect(value12.map(\.sequenceNumber) == [1])
        #expect(buffer.lost == 1)
        // Capacity: five held packets behind a gap release the oldest at once.
        for sequence in UInt16(3)...6 {
            let released = buffer.insert(Self.packet(sequence), now: Self.start)
            #expect(released.isEmpty)
        }
        let value13 = buffer.insert(Self.packet(7), now: Self.start)
        #expect(value13.map(\.sequenceNumber) == [3, 4, 5, 6, 7])
        #expect(buffer.lost == 2)
    }

    /// The first packets of a keyframe burst arrive out of order over a jittery link: the
    /// start is held `startupWait` so the stream begins at the earliest, not the first to arrive.
    @Test func reorderBufferHoldsTheStartToBeginAtTheEarliestPacket() {
        var buffer = RTPReorderBuffer(maxWait: .milliseconds(300), startupWait: .milliseconds(100))
        #expect(buffer.insert(Self.packet(12), now: Self.start).isEmpty)
        #expect(buffer.insert(Self.packet(10), now: Self.start + .milliseconds(30)).isEmpty)
        #expect(buffer.insert(Self.packet(12), now: Self.start + .milliseconds(35)).isEmpty)
        #expect(buffer.insert(Self.packet(11), now: Self.start + .milliseconds(40)).isEmpty)
        #expect(buffer.duplicates == 1)
        #expect(buffer.nextDeadline == Self.start + .milliseconds(100))
        #expect(buffer.expire(now: Self.start + .milliseconds(99)).isEmpty)
        #expect(!buffer.hasStarted)
        #expect(buffer.expire(now: Self.start + .milliseconds(100)).map(\.sequenceNumber) == [10, 11, 12])
        #expect(buffer.hasStarted)
        #expect(buffer.insert(Self.packet(13), now: Self.start + .milliseconds(101)).map(\.sequenceNumber) == [13])
        #expect(buffer.insert(Self.packet(9), now: Self.start + .milliseconds(102)).isEmpty)
        #expect(buffer.late == 1 && buffer.lost == 0)

        // A hole at the start is an ordinary gap: waited for `maxWait` from the packets behind it.
        var gapped = RTPReorderBuffer(maxWait: .milliseconds(300), startupWait: .milliseconds(100))
        _ = gapped.insert(Self.packet(12), now: Self.start)
        _ = gapped.insert(Self.packet(10), now: Self.start + .milliseconds(20))
        #expect(gapped.expire(now: Self.start + .milliseconds(100)).map(\.sequenceNumber) == [10])
        #expect(gapped.nextDeadline == Self.start + .milliseconds(300))
        #expect(gapped.insert(Self.packet(11), now: Self.start + .milliseconds(250)).map(\.sequenceNumber) == [11, 12])
        #expect(gapped.lost == 0)

        // Without a start-up wait the first packet to arrive is the start.
        var immediate = RTPReorderBuffer(startupWait: .zero)
        #expect(immediate.insert(Self.packet(12), now: Self.start).map(\.sequenceNumber) == [12])
        #expect(immediate.insert(Self.packet(10), now: Self.start).isEmpty && immediate.late == 1)
    }

    /// Packets sent before the first one received that arrive later show a gap below it:
    /// requested while the stream starts, ignored after.
    @Test func nackRequestsGapsBelowTheFirstPacketWhileTheStreamStarts() {
        var generator = NACKGenerator()
        generator.received(105)
        generator.received(102)
        #expect(generator.due(now: Self.start, roundTripTime: nil) == [103, 104])
        generator.received(104)
        #expect(generator.recovered == 1 && generator.missingCount == 1)
        for sequence in UInt16(106)..<(106 + UInt16(NACKGenerator.startPackets)) { generator.received(sequence) }
        generator.received(90)
        #expect(generator.missingCount == 1)  // 103 only: the start is over
    }

    /// Earlier and earlier packets while the stream starts (a fuzzer's find): each step
    /// within `maxGap` of the one before, but the missing list may not grow past one window
    /// below the newest packet.
    @Test func gapsBelowTheStartStayWithinOneWindowOfTheNewest() {
        var generator = NACKGenerator()
        generator.received(30_000)
        for step in 1...40 { generator.received(UInt16(30_000 - 400 * step)) }
        #expect(generator.missingCount <= Int(generator.maxGap))
        #expect(generator.due(now: Self.start, roundTripTime: nil).count <= Int(generator.maxGap))
    }

    @Test func nackRequestsGapsAtOnceThenEveryRoundTrip() {
        var generator = NACKGenerator(maxRetries: 3, minInterval: .milliseconds(10))
        generator.received(100)
        generator.received(104)
        let value14 = generator.due(now: Self.start, roundTripTime: .milliseconds(50))
        #expect(value14 == [101, 102, 103])
        let value15 = generator.due(now: Self.start + .milliseconds(20), roundTripTime: .milliseconds(50))
        #expect(value15.isEmpty)
        generator.received(102)
        #expect(generator.recovered == 1)
        let value16 = generator.due(now: Self.start + .milliseconds(50), roundTripTime: .milliseconds(50))
        #expect(value16 == [101, 103])
        _ = generator.due(now: Self.start + .milliseconds(100), roundTripTime: .milliseconds(50))
        #expect(generator.due(now: Self.start + .milliseconds(150), roundTripTime: .milliseconds(50)).isEmpty)  // 3 retries used
        #expect(generator.missingCount == 0)
        #expect(generator.requested == 7)
    }

    @Test func nackIgnoresHugeGapsAndWorksAcrossTheWrap() {
        var generator = NACKGenerator(maxGap: 100)
        generator.received(65_534)
        generator.received(1)
        let value17 = generator.due(now: Self.start, roundTripTime: nil)
        #expect(value17 == [65_535, 0])
        generator.received(20_000)  // a jump, not loss
        let value18 = generator.due(now: Self.start + .seconds(1), roundTripTime: nil)
        #expect(value18.isEmpty)
        #expect(generator.missingCount == 0)
    }

    @Test func retransmissionBufferAnswersNACKsForWhatItHolds() {
        var buffer = RetransmissionBuffer(capacity: 8, maxAge: .seconds(3600))
        for sequence in UInt16(0)..<20 { buffer.store(Self.packet(sequence)) }
        let value19 = buffer.packets(for: [19, 12, 3])
        #expect(value19.map(\.sequenceNumber) == [19, 12])
        #expect(buffer.misses == 1)
    }

    /// Packets older than `maxAge` are freed as new ones arrive and no longer answered; the
    /// buffer then holds about `maxAge` of the stream, across sequence number wrap.
    @Test func retransmissionBufferForgetsPacketsOlderThanItsMaximumAge() {
        var buffer = RetransmissionBuffer(capacity: 1024, maxAge: .seconds(1))
        // 100 packets per second for 3 s, starting 150 before the sequence number wraps.
        for index in 0..<300 {
            buffer.store(Self.packet(UInt16((65_386 + index) & 0xFFFF)), now: Self.start + .milliseconds(10 * index))
        }
        let now = Self.start + .milliseconds(2990)
        #expect(buffer.count == 101)  // 1990 ms … 2990 ms
        #expect(buffer.allocatedSlots == 128)  // grown from 64 for 101 packets a second, not 1024
        let answered = buffer.packets(for: [UInt16((65_386 + 199) & 0xFFFF), UInt16((65_386 + 299) & 0xFFFF), 65_535], now: now)
        #expect(answered.map(\.sequenceNumber) == [UInt16((65_386 + 199) & 0xFFFF), UInt16((65_386 + 299) & 0xFFFF)])
        #expect(buffer.misses == 1)
        // Asked later than maxAge after it was stored, a packet still held is not sent.
        #expect(buffer.packets(for: [UInt16((65_386 + 299) & 0xFFFF)], now: now + .milliseconds(1100)).isEmpty)
    }

    @Test func rtxWrapsWithTheOriginalSequenceNumberAndUnwraps() {
        var encoder = RTXEncoder(ssrc: 99, payloadType: 97, firstSequence: 500)
        let original = Self.packet(1234)
        let rtx = encoder.wrap(original)
        #expect(rtx.ssrc == 99 && rtx.payloadType == 97 && rtx.sequenceNumber == 500)
        #expect(Array(rtx.payload.prefix(2)) == [0x04, 0xD2])
        #expect(rtx.timestamp == original.timestamp)
        let value20 = encoder.wrap(original)
        #expect(value20.sequenceNumber == 501)
        #expect(RTXEncoder.unwrap(rtx, originalPayloadType: 96, originalSSRC: 5) == original)
        #expect(RTXEncoder.unwrap(RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 1, ssrc: 99, payload: [1]), originalPayloadType: 96, originalSSRC: 5) == nil)
    }

    @Test func keyframeRequestsAreRateLimited() {
        var requester = KeyframeRequester(minInterval: .milliseconds(300))
        let value21 = requester.shouldRequest(now: Self.start)
        #expect(value21)
        let value22 = requester.shouldRequest(now: Self.start + .milliseconds(100))
        #expect(!value22)
        let value23 = requester.shouldRequest(now: Self.start + .milliseconds(300))
        #expect(value23)
        #expect(requester.requests == 2)
    }
}
