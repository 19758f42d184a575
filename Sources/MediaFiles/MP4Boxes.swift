/// The few boxes a fragment scan reads (ISO/IEC 14496-12 §8.4.2, §8.8.7–§8.8.12).
enum MP4Boxes {
    /// track_ID → `mdhd` timescale, from a `moov` body.
    static func timescales(moov: [UInt8]) -> [UInt32: UInt32] {
        var out: [UInt32: UInt32] = [:]
        for trak in MP4Bytes.children(moov, in: moov.indices) where trak.type == "trak" {
            var trackID: UInt32?
            var timescale: UInt32?
            for child in MP4Bytes.children(moov, in: trak.body) {
                if child.type == "tkhd" {
                    // version(1) flags(3), then v1: created(8) modified(8) track_ID; v0: created(4) modified(4) track_ID.
                    let version = child.body.isEmpty ? 0 : moov[child.body.lowerBound]
                    trackID = MP4Bytes.uint32(moov, child.body.lowerBound + (version == 1 ? 20 : 12))
                }
                if child.type == "mdia" {
                    for box in MP4Bytes.children(moov, in: child.body) where box.type == "mdhd" {
                        let version = box.body.isEmpty ? 0 : moov[box.body.lowerBound]
                        timescale = MP4Bytes.uint32(moov, box.body.lowerBound + (version == 1 ? 20 : 12))
                    }
                }
            }
            if let trackID, let timescale { out[trackID] = timescale }
        }
        return out
    }

    /// track_ID → end of its last sample in this fragment (decode time units), from a `moof` body.
    static func fragmentEnds(moof: [UInt8]) -> [UInt32: UInt64] {
        var out: [UInt32: UInt64] = [:]
        for traf in MP4Bytes.children(moof, in: moof.indices) where traf.type == "traf" {
            var trackID: UInt32 = 0
            var defaultDuration: UInt32 = 0
            var base: UInt64 = 0
            var total: UInt64 = 0
            for box in MP4Bytes.children(moof, in: traf.body) {
                let start = box.body.lowerBound
                guard box.body.count >= 4 else { continue }
                let version = moof[start]
                let flags = MP4Bytes.uint32(moof, start) & 0x00FF_FFFF
                switch box.type {
                case "tfhd":
                    trackID = MP4Bytes.uint32(moof, start + 4)
                    var field = start + 8
                    if flags & 0x01 != 0 { field += 8 }  // base_data_offset
                    if flags & 0x02 != 0 { field += 4 }  // sample_description_index
                    if flags & 0x08 != 0 { defaultDuration = MP4Bytes.uint32(moof, field) }
                case "tfdt":
                    base = version == 1 ? MP4Bytes.uint64(moof, start + 4) : UInt64(MP4Bytes.uint32(moof, start + 4))
                case "trun":
                    total &+= runDuration(moof, box.body, flags: flags, defaultDuration: defaultDuration)
                default:
                    break
                }
            }
            out[trackID] = max(out[trackID] ?? 0, base &+ total)
        }
        return out
    }

    /// Sum of a `trun`'s sample durations (§8.8.8).
    static func runDuration(_ bytes: [UInt8], _ body: Range<Int>, flags: UInt32, defaultDuration: UInt32) -> UInt64 {
        let count = Int(min(MP4Bytes.uint32(bytes, body.lowerBound + 4), 1 << 20))
        var field = body.lowerBound + 8
        if flags & 0x01 != 0 { field += 4 }  // data_offset
        if flags & 0x04 != 0 { field += 4 }  // first_sample_flags
        guard flags & 0x100 != 0 else { return UInt64(count) * UInt64(defaultDuration) }
        let stride = 4 * [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count
        var total: UInt64 = 0
        for index in 0..<count {
            let at = field + index * stride
            guard at + 4 <= body.upperBound else { break }
            total &+= UInt64(MP4Bytes.uint32(bytes, at))
        }
        return total
    }
}
