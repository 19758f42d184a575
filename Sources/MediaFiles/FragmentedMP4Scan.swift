/// Walks the top-level boxes of a fragmented MP4 (ISO/IEC 14496-12) without loading media
/// data: where the last complete fragment ends and how long the file plays. Sans-I/O: it
/// asks `read(offset, count)` for the few bytes it needs (box headers, `moov`, `moof`).
///
/// A fragment counts when its `moof` and the `mdat` after it are both whole; anything
/// after the last such pair (a half-written fragment after `kill -9` or a power loss) is
/// what a repair cuts off. Durations come from `tfdt` + the `trun` sample durations (or
/// `tfhd`'s default) in each track's `mdhd` timescale.
public struct FragmentedMP4Scan: Sendable, Equatable {
    /// Bytes up to the end of the last whole box worth keeping.
    public var validLength: Int64 = 0
    /// End of the latest sample of any track, microseconds from time zero.
    public var durationMicros: Int64 = 0
    public var fragments = 0
    public var hasMovie = false
    /// Bytes up to the end of `moov`: the initialization section (`ftyp` + `moov`).
    public var headerLength: Int64 = 0
    /// Each whole fragment: its `moof` offset, the length of `moof` + `mdat`, and the end
    /// of its latest sample in microseconds (HLS byte ranges, RFC 8216 §4.3.2.2).
    public var fragmentRanges: [Fragment] = []
    /// track_ID → `mdhd` timescale.
    public var timescales: [UInt32: UInt32] = [:]

    public struct Fragment: Sendable, Equatable {
        public var offset: Int64
        public var length: Int64
        public var endMicros: Int64
    }

    /// Largest `moov` or `moof` read (a bigger one is not a segment peergate wrote).
    public static let maxHeaderBox = 16 << 20

    public enum Failure: Error, Sendable, Equatable {
        case noMovieBox
        case malformed(String)
    }

    public init(length: Int64, read: (Int64, Int) -> [UInt8]?) throws(Failure) {
        var offset: Int64 = 0
        var pendingFragment: (ends: [UInt32: UInt64], moofOffset: Int64, afterMoof: Int64)?
        scan: while offset + 8 <= length, let header = read(offset, 16), header.count >= 8 {
            var size = Int64(MP4Bytes.uint32(header, 0))
            let type = MP4Bytes.fourCC(header, 4)
            var headerSize: Int64 = 8
            if size == 1 {
                guard header.count >= 16 else { break }
                size = Int64(bitPattern: MP4Bytes.uint64(header, 8))
                headerSize = 16
            } else if size == 0 {
                size = length - offset
            }
            // A size from the file is compared with what is left, never added to an
            // offset first (a 64-bit size could overflow).
            guard size >= headerSize, size <= length - offset else { break }  // cut off: stop here
            switch type {
            case "moov":
                // One movie per file (ISO/IEC 14496-12 §8.2.1): a second one is where the
                // file stops being what we wrote.
                guard !hasMovie else { break scan }
                guard size <= Self.maxHeaderBox, let body = read(offset + headerSize, Int(size - headerSize)) else { throw .malformed("moov unreadable") }
                timescales = MP4Boxes.timescales(moov: body)
                hasMovie = true
                validLength = offset + size
                headerLength = offset + size
            case "moof":
                guard hasMovie else { throw .noMovieBox }
                guard size <= Self.maxHeaderBox, let body = read(offset + headerSize, Int(size - headerSize)) else { throw .malformed("moof unreadable") }
                pendingFragment = (MP4Boxes.fragmentEnds(moof: body), offset, offset + size)
            case "mdat":
                if let fragment = pendingFragment, fragment.afterMoof == offset {
                    for (track, end) in fragment.ends {
                        guard let scale = timescales[track], scale > 0 else { continue }
                        durationMicros = max(durationMicros, Int64(clamping: end.multipliedReportingOverflow(by: 1_000_000).partialValue / UInt64(scale)))
                    }
                    fragments += 1
                    validLength = offset + size
                    fragmentRanges.append(Fragment(offset: fragment.moofOffset, length: offset + size - fragment.moofOffset, endMicros: durationMicros))
                }
                pendingFragment = nil
            default:
                // ftyp, mfra, free…: whole boxes are kept (a moof waiting for its mdat is not).
                if pendingFragment == nil { validLength = offset + size }
            }
            offset += size
        }
        guard hasMovie else { throw .noMovieBox }
    }
}

/// Big-endian fields of MP4 boxes.
enum MP4Bytes {
    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) << 32 | UInt64(uint32(bytes, at + 4))
    }

    static func fourCC(_ bytes: [UInt8], _ at: Int) -> String {
        guard at + 4 <= bytes.count else { return "" }
        return String(decoding: bytes[at..<(at + 4)], as: UTF8.self)
    }

    /// The child boxes of a container body: (type, body range).
    static func children(_ bytes: [UInt8], in range: Range<Int>) -> [(type: String, body: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var offset = range.lowerBound
        while offset + 8 <= range.upperBound {
            let size = Int(uint32(bytes, offset))
            guard size >= 8, offset + size <= range.upperBound else { break }
            out.append((fourCC(bytes, offset + 4), (offset + 8)..<(offset + size)))
            offset += size
        }
        return out
    }
}
