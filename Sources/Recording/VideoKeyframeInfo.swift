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
            let units = AnnexBUnits.ranges(keyframe)
            let sets = units.filter { [7, 8].contains(keyframe[$0.lowerBound] & 0x1F) }
            parameterSets = sets.flatMap { AnnexBUnits.startCode + keyframe[$0] }
            if let sps = sets.first(where: { keyframe[$0.lowerBound] & 0x1F == 7 }),
                let size = H264PictureSize(sps: AnnexBUnits.unescaped(keyframe[sps].dropFirst()))
            {
                (width, height) = (size.width, size.height)
            }
        case "H265":
            let units = AnnexBUnits.ranges(keyframe)
            let sets = units.filter { keyframe[$0].count >= 2 && (32...34).contains((keyframe[$0.lowerBound] >> 1) & 0x3F) }
            parameterSets = sets.flatMap { AnnexBUnits.startCode + keyframe[$0] }
            if let sps = sets.first(where: { (keyframe[$0.lowerBound] >> 1) & 0x3F == 33 }),
                let size = H265PictureSize(sps: AnnexBUnits.unescaped(keyframe[sps].dropFirst(2)))
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

/// NAL units of an Annex B stream, and RBSP unescaping (ITU-T H.264 §7.4.1).
enum AnnexBUnits {
    static let startCode: [UInt8] = [0, 0, 0, 1]

    static func ranges(_ stream: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        var index = 0
        while index + 2 < stream.count {
            if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 {
                if let start {
                    var end = index
                    while end > start, stream[end - 1] == 0 { end -= 1 }
                    if end > start { ranges.append(start..<end) }
                }
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        if let start, start < stream.count { ranges.append(start..<stream.count) }
        return ranges
    }

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
