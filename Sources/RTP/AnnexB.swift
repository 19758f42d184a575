/// H.264/H.265 Annex B byte streams (ITU-T H.264 Annex B): NAL units separated by start
/// codes `00 00 01` or `00 00 00 01`.
public enum AnnexB {
    static let startCode: [UInt8] = [0, 0, 0, 1]

    /// The NAL units of a byte stream, without start codes (empty units are skipped).
    public static func split(_ stream: [UInt8]) -> [[UInt8]] {
        var units: [[UInt8]] = []
        var start: Int?
        var index = 0
        while index + 2 < stream.count {
            if stream[index] == 0, stream[index + 1] == 0, stream[index + 2] == 1 {
                if let start {
                    var end = index
                    while end > start, stream[end - 1] == 0 { end -= 1 }  // trailing zero of a 4-byte code
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

    /// NAL units joined with 4-byte start codes.
    public static func join(_ units: [[UInt8]]) -> [UInt8] {
        units.flatMap { startCode + $0 }
    }
}
