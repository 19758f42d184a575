/// The H.264 SPS and PPS NAL units of an Annex B keyframe, each with a 4-byte start code
/// (what `MediaSegmentWriter.Track.parameterSets` takes), for tests that write segments.
public func annexBParameterSets(_ unit: [UInt8]) -> [UInt8] {
    var starts: [Int] = []
    var index = 0
    while index + 3 <= unit.count {
        if unit[index] == 0, unit[index + 1] == 0, unit[index + 2] == 1 {
            starts.append(index + 3)
            index += 3
        } else {
            index += 1
        }
    }
    var out: [UInt8] = []
    for (position, start) in starts.enumerated() where start < unit.count && [7, 8].contains(unit[start] & 0x1F) {
        var end = position + 1 < starts.count ? starts[position + 1] - 3 : unit.count
        while end > start, unit[end - 1] == 0 { end -= 1 }
        out += [0, 0, 0, 1] + unit[start..<end]
    }
    return out
}
