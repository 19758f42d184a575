/// Maps RTP timestamps of a source to wall-clock time (RFC 3550 §6.4.1: an SR pairs an NTP
/// time with an RTP timestamp), falling back to arrival time until the first SR.
///
/// A source may restart its RTP timeline without a new SSRC (a looping file, an encoder
/// restart): RFC 3550 §5.1 only asks timestamps to advance with the media. When the RTP
/// time between two packets disagrees with the monotonic time between their arrivals by
/// more than ``maxJumpSeconds``, the SR pairing no longer holds; the clock goes on from the
/// latest packet's mapped time plus the time since it arrived, until an SR of the new
/// timeline comes. An SR whose RTP timestamp is that far from the latest packet's belongs
/// to the old timeline and is not taken.
///
/// This host's wall clock is read once, for the arrival reference of the first packet:
/// a step of it later (NTP setting the clock, an operator) moves no mapped time and is
/// no timeline restart.
public struct RTPClock: Sendable {
    public let clockRate: Int
    private var reference: (rtp: UInt32, unixSeconds: Double)?
    /// The latest packet: its RTP timestamp and arrival on the monotonic clock.
    private var latest: (rtp: UInt32, arrival: ContinuousClock.Instant)?
    public private(set) var hasSenderReport = false
    /// Timeline restarts seen.
    public private(set) var jumps = 0
    /// RTP time and arrival time between two packets may differ this much (jitter, bursts,
    /// late retransmissions) before the timeline counts as restarted.
    public static let maxJumpSeconds = 3.0

    public init(clockRate: Int) {
        self.clockRate = clockRate
    }

    /// Takes the NTP ↔ RTP pair of a sender report, unless it belongs to another timeline.
    public mutating func senderReport(_ report: RTCPSenderReport) {
        if let latest, abs(seconds(from: latest.rtp, to: report.rtpTimestamp)) > Self.maxJumpSeconds + 1 { return }
        reference = (report.rtpTimestamp, NTPTimestamp.unixSeconds(report.ntpTimestamp))
        hasSenderReport = true
    }

    /// Every packet's arrival: `unixSeconds` (this host's wall clock) becomes the reference
    /// for the first packet until the first SR; `now` (monotonic) watches for jumps.
    public mutating func arrival(rtpTimestamp: UInt32, unixSeconds: Double, now: ContinuousClock.Instant) {
        defer { latest = (rtpTimestamp, now) }
        guard let reference, let latest else {
            if self.reference == nil { self.reference = (rtpTimestamp, unixSeconds) }
            return
        }
        let rtpElapsed = seconds(from: latest.rtp, to: rtpTimestamp)
        let elapsed = Self.seconds(now - latest.arrival)
        guard abs(rtpElapsed - elapsed) > Self.maxJumpSeconds else { return }
        let latestTime = reference.unixSeconds + seconds(from: reference.rtp, to: latest.rtp)
        self.reference = (rtpTimestamp, latestTime + elapsed)
        jumps += 1
    }

    /// The wall-clock time (Unix seconds) of an RTP timestamp; the difference to the
    /// reference is taken as signed 32-bit, so wrap-around is handled.
    public func unixSeconds(of rtpTimestamp: UInt32) -> Double? {
        guard let reference else { return nil }
        return reference.unixSeconds + seconds(from: reference.rtp, to: rtpTimestamp)
    }

    private static func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }

    private func seconds(from start: UInt32, to end: UInt32) -> Double {
        Double(Int32(bitPattern: end &- start)) / Double(clockRate)
    }
}
