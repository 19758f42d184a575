import RTP
import Testing

@testable import SDP
@testable import WebRTC

/// A known source's packets skip the negotiation look-up while they keep the payload type
/// they were resolved with; a payload type the negotiation lacks is still dropped and
/// counted, also after a new negotiation removed the one a source began with.
@Suite struct ReceivePipelinePayloadTypeTests {
    static func audio(payloadType: UInt8) -> SDPNegotiatedMedia {
        SDPNegotiatedMedia(
            mid: "0", kind: .audio, direction: .sendrecv, codecs: [(payloadType, SDPCodec.opus)], retransmission: [:], extensions: [:], remoteSSRCs: [])
    }

    static func packet(_ sequence: UInt16, payloadType: UInt8) -> RTPPacket {
        RTPPacket(payloadType: payloadType, sequenceNumber: sequence, timestamp: UInt32(sequence) * 960, ssrc: 5, payload: [0xF8, 0xFF, 0xFE])
    }

    @Test func unknownPayloadTypesStayDroppedAcrossANewNegotiation() {
        let (_, continuation) = AsyncStream.makeStream(of: PeerConnectionEvent.self)
        let pipeline = ReceivePipeline(media: [Self.audio(payloadType: 111)], events: continuation, activity: ReceiveActivity(), reportSSRC: 7)
        for sequence in UInt16(1)...3 { pipeline.receive(Self.packet(sequence, payloadType: 111), now: .now) }
        #expect(pipeline.streams[5]?.stats.packetsReceived == 3)
        pipeline.receive(Self.packet(4, payloadType: 96), now: .now)
        #expect(pipeline.drops.unknownPayloadType == 1)
        // Renegotiated: the source's payload type is now 112; 111 is unknown.
        pipeline.media = [Self.audio(payloadType: 112)]
        pipeline.receive(Self.packet(5, payloadType: 111), now: .now)
        #expect(pipeline.drops.unknownPayloadType == 2)
        pipeline.receive(Self.packet(6, payloadType: 112), now: .now)
        pipeline.receive(Self.packet(7, payloadType: 112), now: .now)
        #expect(pipeline.streams[5]?.stats.packetsReceived == 5)
        #expect(pipeline.streams[5]?.resolvedPayloadType == 112)
    }
}
