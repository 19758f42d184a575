/// Moves the fragments of a fragmented MP4 along the timeline by rewriting each track
/// fragment's base media decode time (`tfdt`, ISO/IEC 14496-12 §8.8.12) in place, so
/// fragments of files that each start at zero play as one continuous timeline (HLS
/// without a discontinuity at every file). Sans-I/O: works on the bytes of whole boxes.
public enum DecodeTimeShift {
    public enum Failure: Error, Sendable, Equatable {
        /// A version-0 `tfdt` (32 bits) cannot hold the shifted time.
        case overflow
    }

    /// Adds `micros` (in each track's timescale) to every `tfdt` of the `moof` boxes in
    /// `bytes`, which must start at a box boundary; boxes cut off at the end are left as
    /// they are. Returns how many `tfdt` boxes changed.
    @discardableResult
    public static func apply(to bytes: inout [UInt8], micros: Int64, timescales: [UInt32: UInt32]) throws(Failure) -> Int {
        var changed = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            let size = Int(MP4Bytes.uint32(bytes, offset))
            guard size >= 8, offset + size <= bytes.count else { break }
            if MP4Bytes.fourCC(bytes, offset + 4) == "moof" {
                for traf in MP4Bytes.children(bytes, in: (offset + 8)..<(offset + size)) where traf.type == "traf" {
                    changed += try shiftTrackFragment(&bytes, traf.body, micros: micros, timescales: timescales)
                }
            }
            offset += size
        }
        return changed
    }

    private static func shiftTrackFragment(_ bytes: inout [UInt8], _ body: Range<Int>, micros: Int64, timescales: [UInt32: UInt32]) throws(Failure) -> Int {
        let boxes = MP4Bytes.children(bytes, in: body)
        guard let header = boxes.first(where: { $0.type == "tfhd" }), header.body.count >= 8,
            let timescale = timescales[MP4Bytes.uint32(bytes, header.body.lowerBound + 4)], timescale > 0,
            let tfdt = boxes.first(where: { $0.type == "tfdt" }), tfdt.body.count >= 8
        else { return 0 }
        let ticks = micros.multipliedReportingOverflow(by: Int64(timescale)).partialValue / 1_000_000
        let at = tfdt.body.lowerBound + 4
        if bytes[tfdt.body.lowerBound] == 1, tfdt.body.count >= 12 {
            let shifted = UInt64(bitPattern: Int64(bitPattern: MP4Bytes.uint64(bytes, at)) &+ ticks)
            for index in 0..<8 { bytes[at + index] = UInt8(truncatingIfNeeded: shifted >> (56 - 8 * UInt64(index))) }
        } else {
            let shifted = Int64(MP4Bytes.uint32(bytes, at)) + ticks
            guard (0...Int64(UInt32.max)).contains(shifted) else { throw .overflow }
            for index in 0..<4 { bytes[at + index] = UInt8(truncatingIfNeeded: UInt64(shifted) >> (24 - 8 * UInt64(index))) }
        }
        return 1
    }
}
