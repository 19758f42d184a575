import RTP
import Testing

/// The allocation-lean media path: payloads described against their frame, packets written
/// straight from it, received packets parsed in their own buffer, in-order packets released
/// without an array. Each must give exactly what the plain form gives.
@Suite struct SendPathTests {
    static let h264 = CodecRTPTests.h264Keyframe(idrBytes: 5000)
    static let h265: [UInt8] = AnnexB.join([
        [0x40, 0x01, 0x0C, 0x01], [0x42, 0x01, 0x01, 0x01, 0x60], [0x44, 0x01, 0xC1, 0x72],
        [0x26, 0x01] + (0..<3000).map { UInt8(truncatingIfNeeded: $0 % 200 + 1) },
    ])
    static let vp8: [UInt8] = (0..<2500).map { UInt8(truncatingIfNeeded: $0 * 7) }

    /// Packets written from parts equal the packets made from payload copies, for every
    /// codec and packet kind (single unit, STAP-A / aggregation, FU-A / FU, VP8, audio).
    @Test(arguments: [0, 1, 2, 3])
    func sentPacketsMatchPacketsOfCopiedPayloads(codec: Int) {
        var payloader: any RTPPayloader = [
            H264RTP.Payloader(maxPayload: 1100), H265RTP.Payloader(maxPayload: 1100), VP8RTP.Payloader(maxPayload: 1100, pictureID: 5),
            AudioRTP.Payloader(),
        ][codec]
        let frame = [Self.h264, Self.h265, Self.vp8, [0xFC, 1, 2, 3]][codec]
        let parts = payloader.parts(for: frame)
        #expect(!parts.isEmpty)
        for (index, part) in parts.enumerated() {
            let sent = RTPSentPacket(marker: index == parts.count - 1, payloadType: 96, sequenceNumber: UInt16(index), timestamp: 9000, ssrc: 0xABCD, frame: frame, part: part)
            let plain = RTPPacket(marker: index == parts.count - 1, payloadType: 96, sequenceNumber: UInt16(index), timestamp: 9000, ssrc: 0xABCD, payload: part.bytes(of: frame))
            #expect(sent.bytes == plain.bytes)
            #expect(sent.packet == plain)
            #expect(part.count == plain.payload.count && part.count <= 1100)
            #expect(sent.bytes.capacity >= sent.bytes.count + RTPPacket.protectionRoom)
        }
    }

    @Test func packedAndArrayHeadersAreTheSame() {
        let frame: [UInt8] = [9, 8, 7, 6, 5]
        let packed = RTPPayloadPart(packedHeader: 0x7C85_0000, headerCount: 2, range: 1..<4)
        let listed = RTPPayloadPart(header: [0x7C, 0x85], range: 1..<4)
        #expect(packed == listed)
        #expect(packed.bytes(of: frame) == [0x7C, 0x85, 8, 7, 6])
        #expect(RTPPayloadPart(ownBytes: [1, 2]).bytes(of: frame) == [1, 2])
    }

    /// Parsing in the packet's own buffer gives the same packet as parsing a copy, with
    /// CSRCs, a one-byte header extension and padding, and refuses what parsing refuses.
    @Test func takingParseEqualsCopyingParse() throws {
        var extensions = RTPHeaderExtensions()
        extensions.set(3, [0xAA, 0xBB])
        let packet = RTPPacket(marker: true, payloadType: 100, sequenceNumber: 7, timestamp: 77, ssrc: 777, csrcs: [1, 2], extensions: extensions, payload: [5, 6, 7, 8, 9])
        var padded = packet.bytes
        padded[0] |= 0x20
        padded += [0, 0, 3]
        for bytes in [packet.bytes, padded] {
            let copied = try RTPPacket(parsing: bytes)
            let taken = try RTPPacket(taking: bytes)
            #expect(taken == copied)
            #expect(taken.payload == [5, 6, 7, 8, 9] && taken.csrcs == [1, 2] && taken.extensions[3] == [0xAA, 0xBB])
        }
        for bad in [[UInt8](repeating: 0x80, count: 8), [0x40] + [UInt8](repeating: 0, count: 11), [0xA0] + [UInt8](repeating: 0, count: 10) + [200]] {
            #expect(throws: RTPParseError.self) { try RTPPacket(taking: bad) }
        }
    }

    /// The retransmission buffer holds a frame once and answers NACKs with the packets sent.
    @Test func retransmissionsComeFromTheHeldFrame() {
        var payloader = H264RTP.Payloader(maxPayload: 1100)
        let parts = payloader.parts(for: Self.h264)
        var buffer = RetransmissionBuffer()
        let now = ContinuousClock.now
        let sent = parts.enumerated().map { index, part in
            RTPSentPacket(marker: index == parts.count - 1, payloadType: 96, sequenceNumber: 100 + UInt16(index), timestamp: 1, ssrc: 2, frame: Self.h264, part: part)
        }
        for packet in sent { buffer.store(packet, now: now) }
        let answered = buffer.packets(for: [102, 100], now: now)
        #expect(answered == [sent[2].packet, sent[0].packet])
        #expect(answered[1].bytes == sent[0].bytes)
    }

    /// In order, the reorder buffer releases the packet itself; a gap holds packets and
    /// releases them together once filled.
    @Test func reorderReleasesOneInOrderAndManyAfterAGap() {
        var reorder = RTPReorderBuffer(startupWait: .zero)
        let now = ContinuousClock.now
        func packet(_ sequence: UInt16) -> RTPPacket { RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: 1, payload: [1]) }
        guard case .one(let first) = reorder.admit(packet(10), now: now) else { Issue.record("in-order packet not released alone"); return }
        #expect(first.sequenceNumber == 10)
        #expect(reorder.admit(packet(12), now: now).packets.isEmpty)
        #expect(reorder.admit(packet(11), now: now).packets.map(\.sequenceNumber) == [11, 12])
        #expect(reorder.admit(packet(11), now: now).packets.isEmpty)  // late
    }
}
