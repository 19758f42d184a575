/// Maps RTP timestamps of a source to wall-clock time (RFC 3550 §6.4.1: an SR pairs an NTP
/// time with an RTP timestamp), falling back to arrival time until the first SR.
public struct RTPClock: Sendable {
    public let clockRate: Int
    private var reference: (rtp: UInt32, unixSeconds: Double)?
    public private(set) var hasSenderReport = false

    public init(clockRate: Int) {
        self.clockRate = clockRate
    }

    /// Takes the NTP ↔ RTP pair of a sender report.
    public mutating func senderReport(_ report: RTCPSenderReport) {
        reference = (report.rtpTimestamp, NTPTimestamp.unixSeconds(report.ntpTimestamp))
        hasSenderReport = true
    }

    /// Uses a packet's arrival as the reference while no SR has come (and only then).
    public mutating func arrival(rtpTimestamp: UInt32, unixSeconds: Double) {
        if reference == nil { reference = (rtpTimestamp, unixSeconds) }
    }

    /// The wall-clock time (Unix seconds) of an RTP timestamp; the difference to the
    /// reference is taken as signed 32-bit, so wrap-around is handled.
    public func unixSeconds(of rtpTimestamp: UInt32) -> Double? {
        guard let reference else { return nil }
        let ticks = Int32(bitPattern: rtpTimestamp &- reference.rtp)
        return reference.unixSeconds + Double(ticks) / Double(clockRate)
    }
}
