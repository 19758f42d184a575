import RTP
import Testing

@testable import WebRTC

/// RTCP read by a transport goes through the receive pipeline on the event loop, which hands
/// every part of a compound packet to the send side's handler (NACKs, keyframe requests,
/// report blocks) — no task hop per RTCP packet; malformed RTCP is counted, not handed on.
@Suite struct ReceivePipelineRTCPTests {
    static func pipeline() -> ReceivePipeline {
        let (_, continuation) = AsyncStream.makeStream(of: PeerConnectionEvent.self)
        return ReceivePipeline(media: [], events: continuation, activity: ReceiveActivity(), reportSSRC: 7)
    }

    @Test func everyPartOfACompoundPacketReachesTheHandler() {
        let pipeline = Self.pipeline()
        var handed: [[RTCPPacket]] = []
        pipeline.rtcpHandler = { handed.append($0) }
        let parts: [RTCPPacket] = [
            .receiverReport(RTCPReceiverReport(ssrc: 9, reports: [RTCPReportBlock(ssrc: 1234, fractionLost: 3, cumulativeLost: 5, extendedHighestSequence: 70_000)])),
            .nack(RTCPNack(senderSSRC: 9, mediaSSRC: 1234, lost: [100, 101, 117])),
            .pictureLossIndication(senderSSRC: 9, mediaSSRC: 1234),
        ]
        pipeline.receiveRTCP(RTCPPacket.compound(parts), now: .now)
        #expect(handed == [parts])
        #expect(pipeline.drops.malformedRTCP == 0)
    }

    @Test func malformedRTCPIsCountedAndNotHandedOn() {
        let pipeline = Self.pipeline()
        var calls = 0
        pipeline.rtcpHandler = { _ in calls += 1 }
        pipeline.receiveRTCP([0x81, 0xC9, 0x00, 0x07, 0x00], now: .now)
        #expect(calls == 0)
        #expect(pipeline.drops.malformedRTCP == 1)
    }
}
