/// What a sender reports about one of its sources (RFC 3550 §6.4.1): packet and octet
/// counts, and the RTP timestamp that corresponds to the report's NTP time.
public struct SenderStatistics: Sendable {
    public let ssrc: UInt32
    public let clockRate: Int
    public private(set) var packetCount: UInt32 = 0
    public private(set) var octetCount: UInt32 = 0
    private var last: (rtp: UInt32, unixSeconds: Double)?

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = clockRate
    }

    /// Records a packet sent at wall-clock `unixSeconds` (retransmissions are not counted).
    public mutating func sent(_ packet: RTPPacket, unixSeconds: Double) {
        sent(timestamp: packet.timestamp, payloadBytes: packet.payload.count, unixSeconds: unixSeconds)
    }

    /// Records a packet with RTP timestamp `timestamp` and `payloadBytes` of payload.
    public mutating func sent(timestamp: UInt32, payloadBytes: Int, unixSeconds: Double) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: payloadBytes)
        last = (timestamp, unixSeconds)
    }

    /// A sender report for now: the RTP timestamp extrapolated from the last packet sent;
    /// nil before any packet.
    public func senderReport(unixSeconds: Double, reports: [RTCPReportBlock] = []) -> RTCPSenderReport? {
        guard let last else { return nil }
        let ticks = Int64(((unixSeconds - last.unixSeconds) * Double(clockRate)).rounded())
        return RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: NTPTimestamp.from(unixSeconds: unixSeconds), rtpTimestamp: last.rtp &+ UInt32(truncatingIfNeeded: ticks),
            packetCount: packetCount, octetCount: octetCount, reports: reports)
    }
}
