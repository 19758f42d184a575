/// What a receiver reports about one source (RFC 3550 §6.4.1, §A.3, §A.8): packets
/// expected and lost, interarrival jitter, and the last sender report.
public struct ReceiverStatistics: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let ssrc: UInt32
    /// RTP clock rate of the source (90000 for video, 48000 for Opus, 8000 for G.711).
    public let clockRate: Int
    public private(set) var received = 0
    public private(set) var jitter: Double = 0

    private var unwrapper = SequenceUnwrapper()
    private var base: Int64?
    private var highest: Int64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior = 0
    private var lastTransit: Double?
    private var lastSenderReport: (middle: UInt32, arrival: Instant)?
    private let origin: Instant

    public init(ssrc: UInt32, clockRate: Int, origin: Instant = .now) {
        self.ssrc = ssrc
        self.clockRate = clockRate
        self.origin = origin
    }

    /// Records a packet (first transmissions and retransmissions alike) that arrived at `now`.
    public mutating func received(_ packet: RTPPacket, now: Instant) {
        let sequence = unwrapper.unwrap(packet.sequenceNumber)
        if base == nil {
            base = sequence
            highest = sequence
        }
        highest = max(highest, sequence)
        received += 1
        // §A.8: transit time in RTP units; jitter moves 1/16 of the way to each new difference.
        // Duration ÷ Duration: one conversion, not the 128-bit division of `components`.
        let arrival = (now - origin) / .seconds(1) * Double(clockRate)
        let transit = arrival - Double(packet.timestamp)
        if let lastTransit {
            var difference = abs(transit - lastTransit)
            if difference > Double(UInt32.max / 2) { difference = abs(difference - Double(UInt32.max) - 1) }  // timestamp wrap
            jitter += (difference - jitter) / 16
        }
        lastTransit = transit
    }

    /// Records a sender report of this source.
    public mutating func senderReport(_ report: RTCPSenderReport, now: Instant) {
        lastSenderReport = (NTPTimestamp.middle(report.ntpTimestamp), now)
    }

    /// Packets expected from the first to the highest sequence number.
    public var expected: Int64 { base.map { highest - $0 + 1 } ?? 0 }

    /// Cumulative packets lost (negative with duplicates, RFC 3550 §A.3).
    public var cumulativeLost: Int64 { expected - Int64(received) }

    /// The report block for an RR or SR, starting a new interval for the fraction lost.
    public mutating func reportBlock(now: Instant) -> RTCPReportBlock {
        let expectedInterval = expected - expectedPrior
        let receivedInterval = Int64(received - receivedPrior)
        expectedPrior = expected
        receivedPrior = received
        let lostInterval = expectedInterval - receivedInterval
        let fraction = expectedInterval > 0 && lostInterval > 0 ? UInt8(min(255, (lostInterval << 8) / expectedInterval)) : 0
        let lost = Int32(clamping: max(-0x80_0000, min(0x7F_FFFF, cumulativeLost)))
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: fraction, cumulativeLost: lost, extendedHighestSequence: UInt32(truncatingIfNeeded: highest - 65_536),
            jitter: UInt32(jitter), lastSenderReport: lastSenderReport?.middle ?? 0,
            delaySinceLastSenderReport: lastSenderReport.map { NTPTimestamp.units(now - $0.arrival) } ?? 0)
    }
}
