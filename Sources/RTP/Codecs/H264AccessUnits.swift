/// Splits an H.264 Annex B stream (a `.h264` file) into access units (ITU-T H.264
/// §7.4.1.2.3): a new one starts at an access unit delimiter, or at an SPS, PPS or SEI, or
/// at a slice whose first_mb_in_slice is 0, once the current unit holds a slice.
public enum H264AccessUnits {
    public static func split(_ stream: [UInt8]) -> [[UInt8]] {
        var units: [[[UInt8]]] = []
        var current: [[UInt8]] = []
        var hasSlice = false
        for nal in AnnexB.split(stream) {
            let type = nal[0] & 0x1F
            let isSlice = type == 1 || type == 5
            // ue(v) first_mb_in_slice is 0 exactly when the first bit after the header is 1.
            let startsPicture = isSlice && nal.count > 1 && nal[1] & 0x80 != 0
            if hasSlice && (type == 9 || type == 7 || type == 8 || type == 6 || startsPicture) {
                units.append(current)
                current = []
                hasSlice = false
            }
            current.append(nal)
            if isSlice { hasSlice = true }
        }
        if !current.isEmpty { units.append(current) }
        return units.map(AnnexB.join)
    }
}
