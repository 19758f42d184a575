/// H.264 profiles as signalled by `profile-level-id` (RFC 6184 §8.1): profile_idc, the
/// profile-iop constraint flags and level_idc, as three hex bytes. Offer/answer compatibility
/// compares profiles; the level may differ (RFC 6184 §8.2.2, with level-asymmetry-allowed).
public enum H264Profile: String, Sendable, Equatable {
    case constrainedBaseline, baseline, main, constrainedHigh, high, predictiveHigh444

    /// The profile of a `profile-level-id` value; nil when it names none of these.
    ///
    /// A profile is profile_idc plus the constraint flags that narrow it (ITU-T H.264
    /// A.2): Constrained Baseline is Baseline (0x42) with constraint_set1, or Main (0x4D)
    /// with constraint_set0, or Extended (0x58) with constraint_set0 and 1; Constrained High
    /// is High (0x64) with constraint_set4 and 5.
    public init?(profileLevelID: String) {
        guard profileLevelID.count == 6, let value = UInt32(profileLevelID, radix: 16) else { return nil }
        let idc = UInt8(value >> 16)
        let iop = UInt8(value >> 8 & 0xFF)
        let set0 = iop & 0x80 != 0, set1 = iop & 0x40 != 0
        let set4 = iop & 0x08 != 0, set5 = iop & 0x04 != 0
        switch idc {
        case 0x42: self = set1 ? .constrainedBaseline : .baseline
        case 0x4D: self = set0 ? .constrainedBaseline : .main
        case 0x58:
            guard set0 else { return nil }
            self = set1 ? .constrainedBaseline : .baseline
        case 0x64: self = set4 && set5 ? .constrainedHigh : .high
        case 0xF4: self = .predictiveHigh444
        default: return nil
        }
    }

    /// The level_idc byte of a `profile-level-id` value.
    public static func level(of profileLevelID: String) -> UInt8? {
        guard profileLevelID.count == 6, let value = UInt32(profileLevelID, radix: 16) else { return nil }
        return UInt8(value & 0xFF)
    }

    /// Whether two `a=fmtp` parameter sets of H.264 describe the same stream format:
    /// the same packetization-mode (absent = 0, RFC 6184 §8.1) and the same profile
    /// (an absent profile-level-id means Baseline at level 1, 42000a).
    public static func compatible(_ a: [String: String], _ b: [String: String]) -> Bool {
        guard (a["packetization-mode"] ?? "0") == (b["packetization-mode"] ?? "0") else { return false }
        let profileA = H264Profile(profileLevelID: a["profile-level-id"] ?? "42000a")
        let profileB = H264Profile(profileLevelID: b["profile-level-id"] ?? "42000a")
        return profileA != nil && profileA == profileB
    }
}
