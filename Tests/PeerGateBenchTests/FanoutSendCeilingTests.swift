import Foundation
import Testing

@testable import PeerGateBench

/// The anchor of `peergate bench fanout`: every datagram it sends arrives, at the pattern's
/// rate (50 audio packets and 30 video frames per viewer-second), the video frame split into
/// 1,200-byte packets, and the sender's CPU time is counted.
@Suite struct FanoutSendCeilingTests {
    @Test func aFrameIsFullSizePacketsThenTheRest() {
        let frame = FanoutSendCeiling(viewers: 1, seconds: 1, bitrate: 1_000_000, encrypted: false).videoFrame
        #expect(frame.map(\.count) == [1_200, 1_200, 1_200, 566])
        #expect(FanoutSendCeiling(viewers: 1, seconds: 1, bitrate: 100_000, encrypted: false).videoFrame.map(\.count) == [416])
    }

    @Test(arguments: [false, true])
    func everyDatagramSentArrivesAtThePatternsRate(encrypted: Bool) async throws {
        let ceiling = FanoutSendCeiling(viewers: 4, seconds: 1, bitrate: 1_000_000, encrypted: encrypted)
        let result = try await ceiling.run()
        #expect(result.packetsSent > 0)
        #expect(result.packetsReceived == result.packetsSent)
        // Per viewer-second: 50 audio packets and 30 frames of 4 packets, 170 in all (the
        // last tick may fall just inside or outside the second).
        let perViewerSecond = Double(result.packetsSent) / 4 / result.seconds
        #expect(perViewerSecond > 150 && perViewerSecond < 190)
        #expect(result.cpuSeconds > 0)
        #expect(result.packetsPerCPUSecond == Double(result.packetsSent) / result.cpuSeconds)
    }
}
