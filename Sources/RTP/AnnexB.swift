#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// H.264/H.265 Annex B byte streams (ITU-T H.264 Annex B): NAL units separated by start
/// codes `00 00 01` or `00 00 00 01`.
public enum AnnexB {
    static let startCode: [UInt8] = [0, 0, 0, 1]

    /// The NAL units of a byte stream, without start codes (empty units are skipped).
    public static func split(_ stream: [UInt8]) -> [[UInt8]] {
        unitSlices(stream).map { Array($0) }
    }

    /// The NAL units of a byte stream as slices of it (no copies).
    public static func unitSlices(_ stream: [UInt8]) -> [ArraySlice<UInt8>] {
        unitRanges(stream).map { stream[$0] }
    }

    /// Where the NAL units of a byte stream lie in it (start codes excluded).
    public static func unitRanges(_ stream: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        stream.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var start: Int?
            // Each 01 byte (found with memchr) is a start code when two zeros precede it.
            var index = 2
            while index < bytes.count, let found = memchr(base + index, 1, bytes.count - index) {
                let one = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                index = one + 1
                guard one >= 2, bytes[one - 1] == 0, bytes[one - 2] == 0 else { continue }
                if let start {
                    var end = one - 2
                    while end > start, bytes[end - 1] == 0 { end -= 1 }  // trailing zero of a 4-byte code
                    if end > start { ranges.append(start..<end) }
                }
                start = one + 1
                index = one + 3
            }
            if let start, start < bytes.count { ranges.append(start..<bytes.count) }
        }
        return ranges
    }

    /// NAL units joined with 4-byte start codes.
    public static func join(_ units: [[UInt8]]) -> [UInt8] {
        units.flatMap { startCode + $0 }
    }
}
