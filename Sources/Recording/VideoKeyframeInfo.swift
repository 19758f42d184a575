import RTP

/// What a segment's video track needs from the first keyframe: the parameter sets for
/// `avcC`/`hvcC` and the picture size (for the index and the sample entry).
public struct VideoKeyframeInfo: Sendable, Equatable {
    /// Annex B parameter sets (H.264 SPS, PPS; H.265 VPS, SPS, PPS), empty for VP8.
    public var parameterSets: [UInt8]
    public var width: Int
    public var height: Int

    /// Reads a keyframe of `codec` ("H264", "H265", "VP8"); zero size when not found.
    public init(codec: String, keyframe: [UInt8]) {
        parameterSets = []
        width = 0
        height = 0
        switch codec.uppercased() {
        case "H264":
            let units = AnnexB.unitRanges(keyframe)
            let sets = units.filter { [7, 8].contains(keyframe[$0.lowerBound] & 0x1F) }
            parameterSets = AnnexB.join(sets.map { Array(keyframe[$0]) })
            if let sps = sets.first(where: { keyframe[$0.lowerBound] & 0x1F == 7 }),
                let size = H264PictureSize(sps: RBSP.unescaped(keyframe[sps].dropFirst()))
            {
                (width, height) = (size.width, size.height)
            }
        case "H265":
            let units = AnnexB.unitRanges(keyframe)
            let sets = units.filter { keyframe[$0].count >= 2 && (32...34).contains((keyframe[$0.lowerBound] >> 1) & 0x3F) }
            parameterSets = AnnexB.join(sets.map { Array(keyframe[$0]) })
            if let sps = sets.first(where: { (keyframe[$0.lowerBound] >> 1) & 0x3F == 33 }),
                let size = H265PictureSize(sps: RBSP.unescaped(keyframe[sps].dropFirst(2)))
            {
                (width, height) = (size.width, size.height)
            }
        case "VP8":
            // RFC 6386 §9.1: a key frame's 3-byte tag, start code 9D 01 2A, then 14-bit width and height.
            if keyframe.count >= 10, keyframe[0] & 0x01 == 0, keyframe[3] == 0x9D, keyframe[4] == 0x01, keyframe[5] == 0x2A {
                width = Int(keyframe[6]) | Int(keyframe[7] & 0x3F) << 8
                height = Int(keyframe[8]) | Int(keyframe[9] & 0x3F) << 8
            }
        default:
            break
        }
    }
}

/// Raw byte sequence payloads (ITU-T H.264 §7.4.1): a NAL unit without its emulation
/// prevention bytes.
enum RBSP {
    /// Drops emulation prevention bytes (00 00 03 → 00 00).
    static func unescaped(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var zeros = 0
        for byte in bytes {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        return out
    }
}
