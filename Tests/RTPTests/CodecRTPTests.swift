import RTP
import Testing

/// Payloaders and depacketizers of each codec: round trips, RFC packet formats, loss.
@Suite struct CodecRTPTests {
    /// An H.264 keyframe: SPS, PPS, then an IDR slice of `idrBytes`.
    static func h264Keyframe(idrBytes: Int) -> [UInt8] {
        let sps: [UInt8] = [0x67, 0x42, 0xE0, 0x1F, 0xDA, 0x02, 0x80, 0xBF, 0xE5]
        let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
        let idr: [UInt8] = [0x65] + (0..<idrBytes).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        return AnnexB.join([sps, pps, idr])
    }

    /// Packets for payloads, the marker on the last, from `sequence` on.
    static func packets(_ payloads: [[UInt8]], payloadType: UInt8 = 96, sequence: UInt16 = 1000, timestamp: UInt32 = 3000) -> [RTPPacket] {
        payloads.enumerated().map { index, payload in
            RTPPacket(marker: index == payloads.count - 1, payloadType: payloadType, sequenceNumber: sequence &+ UInt16(index), timestamp: timestamp, ssrc: 7, payload: payload)
        }
    }

    static func depacketize<D: RTPDepacketizer>(_ packets: [RTPPacket], with depacketizer: inout D) -> [EncodedFrame] {
        packets.compactMap { depacketizer.push($0) }
    }

    @Test func annexBSplitsOnThreeAndFourByteStartCodes() {
        let stream: [UInt8] = [0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4]
        #expect(AnnexB.split(stream) == [[0x67, 1, 2], [0x68, 3], [0x65, 4]])
        #expect(AnnexB.split(AnnexB.join([[0x67, 1], [0x68, 2]])) == [[0x67, 1], [0x68, 2]])
    }

    /// The skipping scanner finds exactly what a byte-by-byte scan finds, on streams dense
    /// in zeros and ones (start codes at every offset, runs of zeros, codes at the end).
    @Test func annexBSplitMatchesAByteByByteScan() {
        func reference(_ stream: [UInt8]) -> [[UInt8]] {
            var units: [[UInt8]] = []
            var start: Int?
            var index = 0
            while index + 2 < stream.count {
                if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 {
                    if let start {
                        var end = index
                        while end > start, stream[end - 1] == 0 { end -= 1 }
                        if end > start { units.append(Array(stream[start..<end])) }
                    }
                    index += 3
                    start = index
                    continue
                }
                index += 1
            }
            if let start, start < stream.count { units.append(Array(stream[start...])) }
            return units
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0, 0, 0, 1, 1, 2, 0x65, 0xFF]
        for _ in 0..<2000 {
            let stream = (0..<Int.random(in: 0...64, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let expected = reference(stream)
            let actual = AnnexB.split(stream)
            #expect(actual == expected, "\(stream)")
            if actual != expected { break }
        }
    }

    @Test func h264StreamsSplitIntoAccessUnits() {
        let sps: [UInt8] = [0x67, 0x42], pps: [UInt8] = [0x68, 0xCE]
        let idr: [UInt8] = [0x65, 0x88, 1], p1: [UInt8] = [0x41, 0x9A, 2], p1b: [UInt8] = [0x41, 0x20, 3], p2: [UInt8] = [0x41, 0x9A, 4]
        // Without delimiters: a picture starts at SPS or at a slice with first_mb_in_slice 0;
        // p1b (first_mb_in_slice ≠ 0) is the second slice of p1's picture.
        let units = H264AccessUnits.split(AnnexB.join([sps, pps, idr, p1, p1b, p2]))
        #expect(units == [AnnexB.join([sps, pps, idr]), AnnexB.join([p1, p1b]), AnnexB.join([p2])])
        let aud: [UInt8] = [0x09, 0xF0]
        #expect(H264AccessUnits.split(AnnexB.join([aud, sps, pps, idr, aud, p1])) == [AnnexB.join([aud, sps, pps, idr]), AnnexB.join([aud, p1])])
    }

    @Test func h264AggregatesParameterSetsAndFragmentsTheSlice() throws {
        var payloader = H264RTP.Payloader(maxPayload: 1000)
        let frame = Self.h264Keyframe(idrBytes: 2500)
        let payloads = payloader.payloads(for: frame)
        // STAP-A (RFC 6184 §5.7.1): NRI of the units, type 24, then size + unit each.
        #expect(payloads[0][0] == 0x78)
        #expect(Array(payloads[0][1..<3]) == [0, 9])
        // FU-A (§5.8): indicator NRI|28, header S/E + type 5.
        #expect(payloads[1][0] == 0x7C && payloads[1][1] == 0x85)
        #expect(payloads.last?[1] == 0x45)
        #expect(payloads.allSatisfy { $0.count <= 1000 })
        var depacketizer = H264RTP.Depacketizer()
        let frames = Self.depacketize(Self.packets(payloads), with: &depacketizer)
        #expect(frames.count == 1)
        #expect(frames.first?.data == frame)
        #expect(frames.first?.isKeyframe == true)
        #expect(frames.first?.firstSequence == 1000)
    }

    @Test func h264SmallUnitsGoAloneAndDeltaFramesAreNotKeyframes() throws {
        var payloader = H264RTP.Payloader()
        let delta = AnnexB.join([[0x41, 0x9A, 1, 2, 3]])
        let payloads = payloader.payloads(for: delta)
        #expect(payloads == [[0x41, 0x9A, 1, 2, 3]])
        var depacketizer = H264RTP.Depacketizer()
        #expect(Self.depacketize(Self.packets(payloads), with: &depacketizer).first?.isKeyframe == false)
    }

    /// The stream's first packet — the STAP-A with SPS and PPS — lost before anything
    /// arrived: the IDR slice alone assembles, but no decoder can start from it, so it is no
    /// keyframe (a receiver keeps waiting and asks for one). Once a frame brought the
    /// parameter sets, an IDR alone is a keyframe again (RFC 6184 §8.4).
    @Test func anIDRIsAKeyframeOnlyOnceParameterSetsCame() throws {
        var payloader = H264RTP.Payloader(maxPayload: 1000)
        var depacketizer = H264RTP.Depacketizer()
        let headless = Self.packets(Array(payloader.payloads(for: Self.h264Keyframe(idrBytes: 2500)).dropFirst()), sequence: 1)
        #expect(Self.depacketize(headless, with: &depacketizer).map(\.isKeyframe) == [false])
        let whole = Self.packets(payloader.payloads(for: Self.h264Keyframe(idrBytes: 2500)), sequence: 100, timestamp: 6000)
        #expect(Self.depacketize(whole, with: &depacketizer).map(\.isKeyframe) == [true])
        let idrAlone = Self.packets(payloader.payloads(for: AnnexB.join([[0x65, 0x88, 1, 2]])), sequence: 200, timestamp: 9000)
        #expect(Self.depacketize(idrAlone, with: &depacketizer).map(\.isKeyframe) == [true])
        var h265 = H265RTP.Depacketizer()
        let h265IDR = Self.packets([[0x26, 0x01, 0xAF, 0x01]], sequence: 1)
        #expect(Self.depacketize(h265IDR, with: &h265).map(\.isKeyframe) == [false])
        let h265Start = Self.packets([[0x42, 0x01, 0x01, 0x01, 0x60], [0x26, 0x01, 0xAF, 0x02]], sequence: 2, timestamp: 6000)
        #expect(Self.depacketize(h265Start, with: &h265).map(\.isKeyframe) == [true])
    }

    @Test func h264FrameWithALostFragmentIsDroppedAndCounted() throws {
        var payloader = H264RTP.Payloader(maxPayload: 500)
        var packets = Self.packets(payloader.payloads(for: Self.h264Keyframe(idrBytes: 3000)))
        packets.remove(at: 3)
        var depacketizer = H264RTP.Depacketizer()
        #expect(Self.depacketize(packets, with: &depacketizer).isEmpty)
        #expect(depacketizer.droppedFrames == 1)
        // The next frame is whole again.
        let next = Self.packets(payloader.payloads(for: Self.h264Keyframe(idrBytes: 100)), sequence: 2000, timestamp: 6000)
        #expect(Self.depacketize(next, with: &depacketizer).count == 1)
    }

    @Test func h264FrameWithoutItsMarkerIsDroppedWhenTheNextBegins() throws {
        var payloader = H264RTP.Payloader()
        var first = Self.packets(payloader.payloads(for: Self.h264Keyframe(idrBytes: 2000)))
        first.removeLast()
        let second = Self.packets(payloader.payloads(for: AnnexB.join([[0x41, 1, 2]])), sequence: 1100, timestamp: 6000)
        var depacketizer = H264RTP.Depacketizer()
        let frames = Self.depacketize(first + second, with: &depacketizer)
        #expect(frames.map(\.rtpTimestamp) == [6000])
        #expect(depacketizer.droppedFrames == 1)
    }

    @Test func vp8DescriptorsCarryStartBitAndPictureID() throws {
        var payloader = VP8RTP.Payloader(maxPayload: 300, pictureID: 0x7FFF)
        let keyframe: [UInt8] = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + Array(repeating: 0x55, count: 700)
        let payloads = payloader.payloads(for: keyframe)
        #expect(payloads.count == 3)
        #expect(Array(payloads[0][0..<4]) == [0x90, 0x80, 0xFF, 0xFF])  // X, S; I; M + PictureID 0x7FFF
        #expect(payloads[1][0] == 0x80)  // continuation: no S
        #expect(payloader.pictureID == 0)  // wraps at 15 bits
        var depacketizer = VP8RTP.Depacketizer()
        let frames = Self.depacketize(Self.packets(payloads), with: &depacketizer)
        #expect(frames.first?.data == keyframe)
        #expect(frames.first?.isKeyframe == true)
        let interframe: [UInt8] = [0x31, 0x01, 0x00] + Array(repeating: 1, count: 10)
        let next = Self.packets(payloader.payloads(for: interframe), sequence: 1003, timestamp: 6000)
        #expect(Self.depacketize(next, with: &depacketizer).first?.isKeyframe == false)
    }

    @Test func vp8FrameWithALostPacketIsDropped() throws {
        var payloader = VP8RTP.Payloader(maxPayload: 200)
        var packets = Self.packets(payloader.payloads(for: [0x10] + Array(repeating: 3, count: 1000)))
        packets.remove(at: 2)
        var depacketizer = VP8RTP.Depacketizer()
        #expect(Self.depacketize(packets, with: &depacketizer).isEmpty)
        #expect(depacketizer.droppedFrames == 1)
    }

    @Test func h265AggregatesAndFragmentsPerRFC7798() throws {
        let vps: [UInt8] = [0x40, 0x01, 0x0C, 0x01]
        let sps: [UInt8] = [0x42, 0x01, 0x01, 0x01, 0x60]
        let pps: [UInt8] = [0x44, 0x01, 0xC1, 0x72]
        let idr: [UInt8] = [0x26, 0x01] + (0..<3000).map { UInt8(truncatingIfNeeded: $0 % 200 + 1) }
        let frame = AnnexB.join([vps, sps, pps, idr])
        var payloader = H265RTP.Payloader(maxPayload: 1200)
        let payloads = payloader.payloads(for: frame)
        #expect(payloads[0][0] >> 1 & 0x3F == 48)  // aggregation packet
        #expect(payloads[1][0] >> 1 & 0x3F == 49 && payloads[1][2] == 0x80 | 19)  // FU start, type IDR_W_RADL
        #expect(payloads.allSatisfy { $0.count <= 1200 })
        var depacketizer = H265RTP.Depacketizer()
        let frames = Self.depacketize(Self.packets(payloads), with: &depacketizer)
        #expect(frames.first?.data == frame)
        #expect(frames.first?.isKeyframe == true)
    }

    @Test func audioFramesAreOnePacketEach() {
        var payloader = AudioRTP.Payloader()
        #expect(payloader.payloads(for: [0xFC, 1, 2]) == [[0xFC, 1, 2]])
        var depacketizer = AudioRTP.Depacketizer()
        let frame = depacketizer.push(RTPPacket(payloadType: 111, sequenceNumber: 5, timestamp: 960, ssrc: 1, payload: [0xFC, 1, 2]))
        #expect(frame?.data == [0xFC, 1, 2] && frame?.rtpTimestamp == 960)
        #expect(depacketizer.push(RTPPacket(payloadType: 111, sequenceNumber: 6, timestamp: 1920, ssrc: 1, payload: [])) == nil)
        #expect(depacketizer.droppedFrames == 1)
    }
}
