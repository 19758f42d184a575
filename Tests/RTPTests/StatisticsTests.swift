import RTP
import Testing

/// Receiver and sender statistics, NTP timestamps and the RTP ↔ wall-clock mapping
/// (RFC 3550 §6.4, §A.3, §A.8).
@Suite struct StatisticsTests {
    static let start = ContinuousClock.now

    static func packet(_ sequence: UInt16, timestamp: UInt32) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: 9, payload: [1, 2, 3])
    }

    @Test func ntpTimestampsOfUnixTimes() {
        // 2024-01-01T00:00:00Z = 1704067200 Unix = 3913056000 NTP seconds.
        let ntp = NTPTimestamp.from(unixSeconds: 1_704_067_200.5)
        #expect(ntp >> 32 == 3_913_056_000)
        #expect(ntp & 0xFFFF_FFFF == 0x8000_0000)
        #expect(NTPTimestamp.unixSeconds(ntp) == 1_704_067_200.5)
        #expect(NTPTimestamp.middle(ntp) == UInt32(truncatingIfNeeded: ntp >> 16))
        #expect(NTPTimestamp.units(.milliseconds(500)) == 32_768)
    }

    @Test func roundTripTimeFromAReportBlock() throws {
        // SR sent at t, RR built 100 ms after the SR arrived, RR arrives 150 ms after t: RTT 50 ms.
        let sent = NTPTimestamp.from(unixSeconds: 1_000_000)
        let block = RTCPReportBlock(ssrc: 1, lastSenderReport: NTPTimestamp.middle(sent), delaySinceLastSenderReport: NTPTimestamp.units(.milliseconds(100)))
        let rtt = try #require(NTPTimestamp.roundTripTime(arrivalNTP: NTPTimestamp.from(unixSeconds: 1_000_000.150), block: block))
        #expect(abs(Double(rtt.components.attoseconds) / 1e15 - 50) < 0.1)
        #expect(NTPTimestamp.roundTripTime(arrivalNTP: sent, block: RTCPReportBlock(ssrc: 1)) == nil)
    }

    @Test func lossAndFractionLostPerInterval() {
        var statistics = ReceiverStatistics(ssrc: 9, clockRate: 90_000, origin: Self.start)
        for sequence in UInt16(65_530)...65_535 { statistics.received(Self.packet(sequence, timestamp: 0), now: Self.start) }
        for sequence in UInt16(2)...3 { statistics.received(Self.packet(sequence, timestamp: 0), now: Self.start) }  // 0, 1 lost
        let block = statistics.reportBlock(now: Self.start)
        #expect(statistics.expected == 10)
        #expect(block.cumulativeLost == 2)
        #expect(block.fractionLost == UInt8(2 * 256 / 10))
        #expect(block.extendedHighestSequence == 65_536 + 3)
        // Nothing lost in the next interval.
        statistics.received(Self.packet(4, timestamp: 0), now: Self.start)
        #expect(statistics.reportBlock(now: Self.start).fractionLost == 0)
    }

    @Test func jitterStaysZeroForPerfectPacingAndGrowsWithVariation() {
        var steady = ReceiverStatistics(ssrc: 9, clockRate: 90_000, origin: Self.start)
        var uneven = ReceiverStatistics(ssrc: 9, clockRate: 90_000, origin: Self.start)
        for index in 0..<100 {
            let now = Self.start + .milliseconds(20 * index)
            steady.received(Self.packet(UInt16(index), timestamp: UInt32(1800 * index)), now: now)
            uneven.received(Self.packet(UInt16(index), timestamp: UInt32(1800 * index)), now: now + .milliseconds(index % 2 == 0 ? 0 : 10))
        }
        #expect(steady.jitter < 1)
        #expect(uneven.jitter > 500)  // ~10 ms in 90 kHz units
    }

    @Test func delaySinceLastSenderReportCountsFromItsArrival() {
        var statistics = ReceiverStatistics(ssrc: 9, clockRate: 90_000, origin: Self.start)
        statistics.received(Self.packet(1, timestamp: 0), now: Self.start)
        let report = RTCPSenderReport(ssrc: 9, ntpTimestamp: NTPTimestamp.from(unixSeconds: 2_000_000), rtpTimestamp: 0, packetCount: 1, octetCount: 3)
        statistics.senderReport(report, now: Self.start)
        let block = statistics.reportBlock(now: Self.start + .milliseconds(250))
        #expect(block.lastSenderReport == NTPTimestamp.middle(report.ntpTimestamp))
        #expect(block.delaySinceLastSenderReport == 16_384)
    }

    @Test func senderReportExtrapolatesTheRTPTimestamp() throws {
        var statistics = SenderStatistics(ssrc: 3, clockRate: 90_000)
        #expect(statistics.senderReport(unixSeconds: 10) == nil)
        statistics.sent(Self.packet(1, timestamp: 1000), unixSeconds: 100)
        statistics.sent(Self.packet(2, timestamp: 4000), unixSeconds: 100.0333)
        let report = try #require(statistics.senderReport(unixSeconds: 101.0333))
        #expect(report.rtpTimestamp == 94_000)
        #expect(report.packetCount == 2 && report.octetCount == 6)
        #expect(abs(NTPTimestamp.unixSeconds(report.ntpTimestamp) - 101.0333) < 0.000_001)
    }

    /// A monotonic instant `seconds` after a fixed origin.
    func at(_ seconds: Double) -> ContinuousClock.Instant { Self.origin + .nanoseconds(Int64((seconds * 1e9).rounded())) }
    static let origin = ContinuousClock.now

    /// This host's wall clock steps an hour back mid-stream (NTP setting it, an operator):
    /// RTP time and the monotonic clock still agree, so no restart is counted and the mapped
    /// times go on unbroken — a recording keeps one timeline.
    @Test func aStepOfThisHostsWallClockMovesNoMappedTime() throws {
        var clock = RTPClock(clockRate: 90_000)
        clock.arrival(rtpTimestamp: 0, unixSeconds: 5000, now: at(0))
        for frame in 1...90 {
            let stepped = frame > 45 ? -3600.0 : 0
            clock.arrival(rtpTimestamp: UInt32(frame * 3000), unixSeconds: 5000 + Double(frame) / 30 + stepped, now: at(Double(frame) / 30))
        }
        #expect(clock.jumps == 0)
        #expect(clock.unixSeconds(of: 270_000) == 5003)
    }

    @Test func rtpClockMapsThroughTheSenderReportAcrossWrapAround() throws {
        var clock = RTPClock(clockRate: 90_000)
        #expect(clock.unixSeconds(of: 0) == nil)
        clock.arrival(rtpTimestamp: 500, unixSeconds: 50, now: at(50))
        #expect(clock.unixSeconds(of: 90_500) == 51)
        #expect(!clock.hasSenderReport)
        clock.senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: NTPTimestamp.from(unixSeconds: 1000), rtpTimestamp: UInt32.max - 44_999, packetCount: 0, octetCount: 0))
        #expect(clock.hasSenderReport)
        #expect(try #require(clock.unixSeconds(of: 45_000)) == 1001)  // wrapped past 2^32
        #expect(try #require(clock.unixSeconds(of: UInt32.max - 134_999)) == 999)
    }

    /// A looping source restarts its RTP timeline on the same SSRC: the clock goes on from
    /// the arrival with the sender clock's offset (no jump back into the past), ignores an
    /// SR of the old timeline, and takes the next SR of the new one.
    @Test func rtpClockFollowsATimelineRestart() throws {
        var clock = RTPClock(clockRate: 90_000)
        func report(_ rtp: UInt32, _ unix: Double) -> RTCPSenderReport {
            RTCPSenderReport(ssrc: 1, ntpTimestamp: NTPTimestamp.from(unixSeconds: unix), rtpTimestamp: rtp, packetCount: 0, octetCount: 0)
        }
        // The sender's clock is 900 s ahead of this one.
        clock.arrival(rtpTimestamp: 0, unixSeconds: 100, now: at(100))
        clock.senderReport(report(0, 1000))
        for second in 1...10 { clock.arrival(rtpTimestamp: UInt32(second * 90_000), unixSeconds: 100 + Double(second), now: at(100 + Double(second))) }
        #expect(try #require(clock.unixSeconds(of: 900_000)) == 1010)
        #expect(clock.jumps == 0)
        // Looped: timestamp 0 again, 1/30 s after the last packet.
        clock.arrival(rtpTimestamp: 0, unixSeconds: 110.0 + 1.0 / 30, now: at(110.0 + 1.0 / 30))
        #expect(clock.jumps == 1)
        #expect(abs(try #require(clock.unixSeconds(of: 0)) - (1010 + 1.0 / 30)) < 1e-6)
        #expect(abs(try #require(clock.unixSeconds(of: 90_000)) - (1011 + 1.0 / 30)) < 1e-6)
        // An SR sent before the loop, arriving after it: not taken.
        clock.senderReport(report(900_000, 1010))
        #expect(abs(try #require(clock.unixSeconds(of: 90_000)) - (1011 + 1.0 / 30)) < 1e-6)
        // The next SR of the new timeline is.
        clock.arrival(rtpTimestamp: 45_000, unixSeconds: 110.5, now: at(110.5))
        clock.senderReport(report(45_000, 1010.5))
        #expect(try #require(clock.unixSeconds(of: 90_000)) == 1011)
        // Late packets and bursts within the bound are not restarts.
        clock.arrival(rtpTimestamp: 45_000, unixSeconds: 112.5, now: at(112.5))
        clock.arrival(rtpTimestamp: 48_000, unixSeconds: 112.51, now: at(112.51))
        #expect(clock.jumps == 1)
    }
}
