/// Walks a WebM/Matroska segment file (RFC 9559) the way ``FragmentedMP4Scan`` walks an
/// MP4: where the last whole cluster ends and how long the file plays. Sans-I/O: it asks
/// `read(offset, count)` for element headers and cluster bodies.
///
/// The file must start with the EBML header and a Segment (of unknown size, as a muxer
/// writing to a pipe leaves it) holding Info and Tracks; a Cluster counts when all its
/// bytes are there. Durations come from each cluster's Timecode plus its blocks' relative
/// timecodes in the Info's TimecodeScale, the last block of a track lasting as long as the
/// gap before it.
public struct MatroskaScan: Sendable, Equatable {
    public var validLength: Int64 = 0
    public var durationMicros: Int64 = 0
    public var fragments = 0
    public var hasTracks = false

    public enum Failure: Error, Sendable, Equatable {
        case notMatroska
        case noTracks
    }

    static let ebml: UInt32 = 0x1A45_DFA3
    static let segment: UInt32 = 0x1853_8067
    static let info: UInt32 = 0x1549_A966
    static let tracks: UInt32 = 0x1654_AE6B
    static let cluster: UInt32 = 0x1F43_B675
    static let timecodeScale: UInt32 = 0x2A_D7B1
    static let clusterTimecode: UInt32 = 0xE7
    static let simpleBlock: UInt32 = 0xA3
    static let blockGroup: UInt32 = 0xA0
    static let block: UInt32 = 0xA1

    public init(length: Int64, read: (Int64, Int) -> [UInt8]?) throws(Failure) {
        guard let head = read(0, 16), let ebmlHeader = EBML.header(head, at: 0), ebmlHeader.id == Self.ebml, let size = ebmlHeader.size, size <= length
        else { throw .notMatroska }
        var offset = Int64(ebmlHeader.length) + size
        guard let segmentBytes = read(offset, 16), let segmentHeader = EBML.header(segmentBytes, at: 0), segmentHeader.id == Self.segment else { throw .notMatroska }
        offset += Int64(segmentHeader.length)
        // Sizes come from the file: compare them with what is left rather than add them
        // to offsets, so a hostile size cannot overflow.
        let end = segmentHeader.size.map { offset + min($0, max(0, length - offset)) } ?? length
        var scale: Int64 = 1_000_000  // ns per tick (RFC 9559 §5.1.2.1 default)
        var lastTicks: [UInt64: (last: Int64, gap: Int64)] = [:]
        while offset < end, let bytes = read(offset, 16), let header = EBML.header(bytes, at: 0), let size = header.size {
            let bodyStart = offset + Int64(header.length)
            guard size <= end - bodyStart else { break }  // cut off: stop here
            switch header.id {
            case Self.info:
                if size <= 1 << 20, let body = read(bodyStart, Int(size)) {
                    let value = EBML.children(body).first { $0.id == Self.timecodeScale }.map { EBML.uint(body[$0.body]) } ?? 1_000_000
                    scale = Int64(clamping: max(1, value))
                }
            case Self.tracks:
                hasTracks = true
            case Self.cluster:
                guard hasTracks, size <= 64 << 20, let body = read(bodyStart, Int(size)) else { break }
                Self.blocks(body) { track, ticks in
                    let previous = lastTicks[track]
                    lastTicks[track] = (ticks, previous.map { max(ticks - $0.last, 0) } ?? 0)
                }
                fragments += 1
            default:
                break
            }
            offset = bodyStart + size
            if hasTracks { validLength = offset }
        }
        guard hasTracks else { throw .noTracks }
        let endTicks = lastTicks.values.map { $0.last + $0.gap }.max() ?? 0
        let (nanoseconds, overflow) = max(0, endTicks).multipliedReportingOverflow(by: scale)
        durationMicros = overflow ? Int64.max / 1000 : nanoseconds / 1000
    }

    /// Each block of a cluster body: its track and absolute timecode (ticks).
    static func blocks(_ body: [UInt8], _ visit: (UInt64, Int64) -> Void) {
        let children = EBML.children(body)
        // Timecodes beyond 2^53 ticks are not media; the bound keeps the sums below exact.
        let base = Int64(min(children.first { $0.id == clusterTimecode }.map { EBML.uint(body[$0.body]) } ?? 0, 1 << 53))
        func visitBlock(_ range: Range<Int>) {
            guard let track = EBML.vint(body, at: range.lowerBound), range.lowerBound + track.length + 2 <= range.upperBound else { return }
            let at = range.lowerBound + track.length
            let relative = Int64(Int16(bitPattern: UInt16(body[at]) << 8 | UInt16(body[at + 1])))
            visit(track.value, base + relative)
        }
        for child in children {
            if child.id == simpleBlock { visitBlock(child.body) }
            if child.id == blockGroup, let inner = EBML.children(body, in: child.body).first(where: { $0.id == block }) { visitBlock(inner.body) }
        }
    }
}

/// EBML variable-size integers and element headers (RFC 8794 §4–§6).
enum EBML {
    /// A vint with its length marker removed; nil past the end or for a zero first byte.
    static func vint(_ bytes: [UInt8], at offset: Int) -> (value: UInt64, length: Int, allOnes: Bool)? {
        guard offset < bytes.count, bytes[offset] != 0 else { return nil }
        let length = bytes[offset].leadingZeroBitCount + 1
        guard offset + length <= bytes.count else { return nil }
        var value = UInt64(bytes[offset] & (0xFF >> UInt8(length)))
        for index in 1..<length { value = value << 8 | UInt64(bytes[offset + index]) }
        let allOnes = value == (UInt64(1) << UInt64(7 * length)) - 1
        return (value, length, allOnes)
    }

    /// An element's ID (marker kept), data size (nil when unknown) and header length.
    static func header(_ bytes: [UInt8], at offset: Int) -> (id: UInt32, size: Int64?, length: Int)? {
        guard offset < bytes.count, bytes[offset] != 0 else { return nil }
        let idLength = bytes[offset].leadingZeroBitCount + 1
        guard idLength <= 4, offset + idLength <= bytes.count else { return nil }
        var id: UInt32 = 0
        for index in 0..<idLength { id = id << 8 | UInt32(bytes[offset + index]) }
        guard let size = vint(bytes, at: offset + idLength), size.value <= UInt64(Int64.max) else { return nil }
        return (id, size.allOnes ? nil : Int64(size.value), idLength + size.length)
    }

    /// The child elements in `range` of `bytes` (whole ones, known sizes).
    static func children(_ bytes: [UInt8], in range: Range<Int>? = nil) -> [(id: UInt32, body: Range<Int>)] {
        let range = range ?? bytes.indices
        var out: [(UInt32, Range<Int>)] = []
        var offset = range.lowerBound
        while offset < range.upperBound, let header = header(bytes, at: offset), let size = header.size, size <= Int64(range.upperBound - offset - header.length) {
            let start = offset + header.length
            out.append((header.id, start..<(start + Int(size))))
            offset = start + Int(size)
        }
        return out
    }

    static func uint(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
