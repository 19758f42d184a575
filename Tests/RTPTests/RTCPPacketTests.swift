import RTP
import Testing

/// Compound RTCP (RFC 3550 §6) with feedback (RFC 4585, RFC 5104, REMB).
@Suite struct RTCPPacketTests {
    static let block = RTCPReportBlock(
        ssrc: 0x1111_2222, fractionLost: 25, cumulativeLost: -3, extendedHighestSequence: 70_000, jitter: 12,
        lastSenderReport: 0xAABB_CCDD, delaySinceLastSenderReport: 65_536)

    @Test func compoundPacketsRoundTrip() throws {
        let packets: [RTCPPacket] = [
            .senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 0xE5F6_0000_8000_0000, rtpTimestamp: 90_000, packetCount: 10, octetCount: 12_000, reports: [Self.block])),
            .sourceDescription([RTCPSourceDescription(ssrc: 1, items: [RTCPSourceDescriptionItem(type: RTCPSourceDescription.cname, text: "peergate")])]),
            .receiverReport(RTCPReceiverReport(ssrc: 2, reports: [Self.block, Self.block])),
            .nack(RTCPNack(senderSSRC: 2, mediaSSRC: 1, lost: [100, 101, 105, 116, 117, 200])),
            .pictureLossIndication(senderSSRC: 2, mediaSSRC: 1),
            .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 2, entries: [.init(ssrc: 1, sequenceNumber: 9)])),
            .receiverEstimatedBitrate(RTCPReceiverEstimatedBitrate(senderSSRC: 2, bitsPerSecond: 1_500_000, ssrcs: [1, 3])),
            .bye(RTCPBye(ssrcs: [1], reason: "done")),
        ]
        let bytes = RTCPPacket.compound(packets)
        #expect(bytes.count % 4 == 0)
        let parsed = try RTCPPacket.parseCompound(bytes)
        #expect(parsed.count == packets.count)
        for (a, b) in zip(parsed, packets) where !isREMB(a) { #expect(a == b) }
        // REMB carries the bitrate as 6-bit exponent and 18-bit mantissa: exact here.
        #expect(parsed[6] == packets[6])
    }

    func isREMB(_ packet: RTCPPacket) -> Bool {
        if case .receiverEstimatedBitrate = packet { true } else { false }
    }

    @Test func nackEntriesFollowPIDAndBitmask() throws {
        // RFC 4585 §6.2.1: PID 100 with BLP bits for 101 and 105 (bits 0 and 4), 116 (bit 15);
        // 117 needs a new entry.
        let nack = RTCPNack(senderSSRC: 9, mediaSSRC: 8, lost: [100, 101, 105, 116, 117])
        let bytes = RTCPPacket.nack(nack).bytes
        #expect(Array(bytes[0..<4]) == [0x81, 205, 0, 4])
        #expect(Array(bytes[12..<16]) == [0, 100, 0x80, 0x11])
        #expect(Array(bytes[16..<20]) == [0, 117, 0, 0])
        guard case .nack(let parsed)? = try RTCPPacket.parseCompound(bytes).first else {
            Issue.record("not a NACK")
            return
        }
        #expect(parsed.lost == [100, 101, 105, 116, 117])
    }

    @Test func nackWrapsAroundTheSequenceSpace() throws {
        let nack = RTCPNack(senderSSRC: 1, mediaSSRC: 2, lost: [65_534, 65_535, 0, 3])
        guard case .nack(let parsed)? = try RTCPPacket.parseCompound(RTCPPacket.nack(nack).bytes).first else {
            Issue.record("not a NACK")
            return
        }
        #expect(parsed.lost == [65_534, 65_535, 0, 3])
    }

    @Test func reportBlockKeepsANegativeCumulativeLoss() throws {
        guard case .receiverReport(let report)? = try RTCPPacket.parseCompound(RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: 5, reports: [Self.block])).bytes).first else {
            Issue.record("not an RR")
            return
        }
        #expect(report.reports.first?.cumulativeLost == -3)
    }

    @Test func unknownTypesAreKeptAndMalformedCompoundsRefused() throws {
        let app: [UInt8] = [0x80, 204, 0, 2, 0, 0, 0, 1, 0x41, 0x42, 0x43, 0x44]
        #expect(try RTCPPacket.parseCompound(app) == [.other(type: 204, count: 0, body: [0, 0, 0, 1, 0x41, 0x42, 0x43, 0x44])])
        #expect(throws: RTPParseError.badLength) { try RTCPPacket.parseCompound([0x80, 201, 0, 9, 0, 0, 0, 1]) }
        #expect(throws: RTPParseError.badVersion) { try RTCPPacket.parseCompound([0x40, 201, 0, 1, 0, 0, 0, 1]) }
        #expect(throws: RTPParseError.tooShort) { try RTCPPacket.parseCompound([0x80, 201]) }
        #expect(throws: RTPParseError.badLength) { try RTCPPacket.parseCompound([0x81, 201, 0, 1, 0, 0, 0, 1]) }  // claims a block it lacks
        // Padding must be a multiple of four (RFC 3550 §6.4.1; a finding of fuzzing).
        #expect(throws: RTPParseError.badPadding) { try RTCPPacket.parseCompound([0xA0, 204, 0, 2, 0, 0, 0, 1, 0x41, 0x42, 0x43, 0x03]) }
        #expect(try RTCPPacket.parseCompound([0xA0, 204, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0x04]) == [.other(type: 204, count: 0, body: [0, 0, 0, 1])])
    }
}
