import Testing

@testable import Recording
@testable import MediaFiles

/// `tfdt` rewriting on hand-built boxes (ISO/IEC 14496-12 §8.8.12).
@Suite struct DecodeTimeShiftTests {
    static func box(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let size = UInt32(8 + body.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8) + body
    }

    static func be(_ value: UInt64, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(bytes - 1 - $0))) } }

    /// moof(traf(tfhd(track), tfdt(v, base))) + mdat.
    static func fragment(track: UInt32, version: UInt8, base: UInt64) -> [UInt8] {
        let tfhd = box("tfhd", [0, 0, 0, 0] + be(UInt64(track), 4))
        let tfdt = box("tfdt", [version, 0, 0, 0] + be(base, version == 1 ? 8 : 4))
        return box("moof", box("traf", tfhd + tfdt)) + box("mdat", [1, 2, 3])
    }

    @Test func movesEachTrackByItsTimescale() throws {
        var bytes = Self.fragment(track: 1, version: 1, base: 90_000) + Self.fragment(track: 2, version: 1, base: 48_000)
        let original = bytes
        let changed = try DecodeTimeShift.apply(to: &bytes, micros: 2_000_000, timescales: [1: 90_000, 2: 48_000])
        #expect(changed == 2)
        #expect(bytes.count == original.count)
        let first = MP4Bytes.uint64(bytes, original.count / 2 - 11 - 8)
        #expect(first == 270_000)
        #expect(MP4Bytes.uint64(bytes, bytes.count - 11 - 8) == 144_000)
        // Back again: the bytes are what they were.
        try DecodeTimeShift.apply(to: &bytes, micros: -2_000_000, timescales: [1: 90_000, 2: 48_000])
        #expect(bytes == original)
    }

    @Test func version0FieldsThatCannotHoldTheTimeAreRefused() throws {
        var small = Self.fragment(track: 1, version: 0, base: 1000)
        #expect(try DecodeTimeShift.apply(to: &small, micros: 1_000_000, timescales: [1: 1000]) == 1)
        #expect(MP4Bytes.uint32(small, small.count - 11 - 4) == 2000)
        var bytes = Self.fragment(track: 1, version: 0, base: 1000)
        #expect(throws: DecodeTimeShift.Failure.overflow) { try DecodeTimeShift.apply(to: &bytes, micros: -2_000_000, timescales: [1: 1000]) }
    }

    @Test func leavesUnknownTracksAndCutBoxesAlone() throws {
        var bytes = Self.fragment(track: 9, version: 1, base: 5)
        #expect(try DecodeTimeShift.apply(to: &bytes, micros: 1_000_000, timescales: [1: 90_000]) == 0)
        // A moof cut short is not touched; one whose mdat is cut is.
        var cut = Array(Self.fragment(track: 1, version: 1, base: 5).prefix(30))
        let before = cut
        #expect(try DecodeTimeShift.apply(to: &cut, micros: 1_000_000, timescales: [1: 90_000]) == 0 && cut == before)
        var mdatCut = Array(Self.fragment(track: 1, version: 1, base: 5).dropLast(2))
        #expect(try DecodeTimeShift.apply(to: &mdatCut, micros: 1_000_000, timescales: [1: 90_000]) == 1)
    }
}
