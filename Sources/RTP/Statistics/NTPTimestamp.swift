/// 64-bit NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1900 in the
/// high 32 bits, the fraction of a second in the low 32.
public enum NTPTimestamp {
    /// Seconds from 1900-01-01 to the Unix epoch.
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    /// The NTP timestamp of a Unix time in seconds.
    public static func from(unixSeconds: Double) -> UInt64 {
        let seconds = UInt64(unixSeconds)
        let fraction = UInt64((unixSeconds - Double(seconds)) * 4_294_967_296.0)
        return (seconds + unixEpochOffset) << 32 | (fraction & 0xFFFF_FFFF)
    }

    /// The Unix time in seconds of an NTP timestamp.
    public static func unixSeconds(_ ntp: UInt64) -> Double {
        Double((ntp >> 32) &- unixEpochOffset) + Double(ntp & 0xFFFF_FFFF) / 4_294_967_296.0
    }

    /// The middle 32 bits, as LSR uses them (RFC 3550 §6.4.1).
    public static func middle(_ ntp: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ntp >> 16) }

    /// A duration in units of 1/65536 s (DLSR).
    public static func units(_ duration: Duration) -> UInt32 {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return UInt32(clamping: Int64(max(0, seconds) * 65_536))
    }

    /// Round-trip time from a report block received at `arrivalNTP` (RFC 3550 §6.4.1:
    /// arrival − LSR − DLSR, in 1/65536 s); nil without an SR to refer to.
    public static func roundTripTime(arrivalNTP: UInt64, block: RTCPReportBlock) -> Duration? {
        guard block.lastSenderReport != 0 else { return nil }
        let units = middle(arrivalNTP) &- block.lastSenderReport &- block.delaySinceLastSenderReport
        guard units < 0x8000_0000 else { return nil }  // negative: clocks disagree
        return .microseconds(Int64(units) * 1_000_000 / 65_536)
    }
}
