import Foundation
import SDP
import Testing

/// Answering real offers: codec matching (H.264 profiles, RTX), directions, rejection,
/// BUNDLE, and the local transport attributes.
@Suite struct SDPAnswererTests {
    var local = SDPLocalParameters(
        iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl", fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: Array(0..<32)),
        sessionID: "1234")

    @Test func aRecorderAnswersAiortcsOffer() throws {
        var recorder = local
        recorder.directions = [.audio: .recvonly, .video: .recvonly]
        let offer = try SessionDescription(parsing: SDPParserTests.fixture("aiortc-offer"))
        let (answer, media) = try SDPAnswerer.answer(offer, local: recorder)
        // Audio: the offer only receives, the recorder only receives: nothing flows.
        #expect(media[0].direction == .inactive)
        #expect(media[0].codecs.map(\.payloadType) == [96, 0, 8])
        // Video: VP8 and Constrained Baseline H.264 (42e01f); Baseline (42001f) is another profile.
        #expect(media[1].direction == .recvonly)
        #expect(media[1].codecs.map(\.payloadType) == [97, 101])
        #expect(media[1].retransmission == [98: 97, 102: 101])
        #expect(media[1].extensions == [SDPHeaderExtension.mid: 1, SDPHeaderExtension.absSendTime: 3])
        #expect(media[1].remoteSSRCs == [750_437_196, 1_695_590_185])
        // The answer's text parses back and carries what the offerer needs.
        let parsed = try SessionDescription(parsing: answer.text)
        #expect(parsed.bundleGroup == ["0", "1"])
        let video = parsed.media[1]
        #expect(video.formats == ["97", "101", "98", "102"])
        #expect(video.setup == .active)
        #expect(video.fingerprint == local.fingerprint)
        #expect(video.iceUfrag == "pgUf" && video.iceOptions == ["trickle"])
        #expect(video.rtcpMux)
        #expect(video.rtcpFeedback[97] == ["nack", "nack pli", "goog-remb"])
        #expect(video.formatParameters[101]?["profile-level-id"] == "42e01f")
        #expect(video.formatParameters[102]?["apt"] == "101")
        #expect(video.ssrcs.isEmpty)
        #expect(!answer.text.contains("ssrc-audio-level"))
    }

    @Test func aPublisherAnnouncesItsSSRCs() throws {
        var publisher = local
        publisher.directions = [.video: .sendonly]
        publisher.sendSSRCs = [.video: (ssrc: 1111, rtx: 2222)]
        let offer = try SessionDescription(parsing: SDPParserTests.fixture("aiortc-offer"))
        let (answer, media) = try SDPAnswerer.answer(offer, local: publisher)
        // No audio wanted: that section is rejected, port 0, its mid kept; BUNDLE lists video only.
        #expect(media.map(\.mid) == ["1"])
        #expect(answer.media[0].port == 0 && answer.media[0].mid == "0")
        #expect(answer.bundleGroup == ["1"])
        let video = answer.media[1]
        #expect(video.direction == .sendonly)
        #expect(video.retransmissionSSRCs.first?.primary == 1111 && video.retransmissionSSRCs.first?.rtx == 2222)
        #expect(video.ssrcs == [1111, 2222])
        #expect(video.msid?.stream == "peergate")
    }

    /// A sender declares its H.264 parameter sets (RFC 6184 §8.1) in the fmtp of the formats
    /// it sends; a receiving answer does not.
    @Test func aPublisherDeclaresItsParameterSets() throws {
        var publisher = local
        publisher.directions = [.video: .sendonly]
        publisher.sendFormatParameters = ["H264": ["sprop-parameter-sets": "Z0LAHtkBQfsBEAAAAwAQAAADAyDxYuSA,aMuMsg=="]]
        let offer = try SessionDescription(parsing: SDPParserTests.fixture("aiortc-offer"))
        let (answer, _) = try SDPAnswerer.answer(offer, local: publisher)
        let video = try SessionDescription(parsing: answer.text).media[1]
        #expect(video.formatParameters[101]?["sprop-parameter-sets"] == "Z0LAHtkBQfsBEAAAAwAQAAADAyDxYuSA,aMuMsg==")
        #expect(video.formatParameters[101]?["profile-level-id"] == "42e01f")
        #expect(video.formatParameters[97]?["sprop-parameter-sets"] == nil)  // VP8
        var recorder = publisher
        recorder.directions = [.video: .recvonly]
        let (received, _) = try SDPAnswerer.answer(offer, local: recorder)
        #expect(!received.text.contains("sprop"))
        publisher.sendSSRCs = [.video: (ssrc: 1, rtx: 2)]
        #expect(SDPOfferer.offer(local: publisher).text.contains("sprop-parameter-sets=Z0LAHtkBQfsBEAAAAwAQAAADAyDxYuSA,aMuMsg=="))
    }

    @Test func h264ProfilesAreComparedNotTheirLevels() {
        #expect(H264Profile(profileLevelID: "42e01f") == .constrainedBaseline)
        #expect(H264Profile(profileLevelID: "4d001f") == .main)
        #expect(H264Profile(profileLevelID: "4d801f") == .constrainedBaseline)
        #expect(H264Profile(profileLevelID: "640c1f") == .constrainedHigh)
        #expect(H264Profile(profileLevelID: "640032") == .high)
        #expect(H264Profile(profileLevelID: "42001f") == .baseline)
        #expect(H264Profile(profileLevelID: "zz") == nil)
        #expect(H264Profile.compatible(["packetization-mode": "1", "profile-level-id": "42e01f"], ["packetization-mode": "1", "profile-level-id": "42e034"]))
        #expect(!H264Profile.compatible(["packetization-mode": "1", "profile-level-id": "42e01f"], ["profile-level-id": "42e01f"]))
        #expect(!H264Profile.compatible(["packetization-mode": "1", "profile-level-id": "42e01f"], ["packetization-mode": "1", "profile-level-id": "640032"]))
    }

    @Test func offersPeergateCannotAnswerAreRefused() throws {
        let header = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
        let transport = "a=rtcp-mux\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\na=fingerprint:sha-256 0A:0B\r\n"
        // Only G.722: nothing to accept.
        let g722 = try SessionDescription(parsing: header + "m=audio 9 UDP/TLS/RTP/SAVPF 9\r\na=mid:0\r\na=rtpmap:9 G722/8000\r\n" + transport)
        #expect(throws: SDPNegotiationError.nothingAccepted) { try SDPAnswerer.answer(g722, local: local) }
        // Two accepted sections without BUNDLE.
        let twoSections = header + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n" + transport + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n" + transport
        #expect(throws: SDPNegotiationError.bundleRequired) { try SDPAnswerer.answer(try SessionDescription(parsing: twoSections), local: local) }
        // No DTLS fingerprint.
        let noFingerprint = try SessionDescription(parsing: header + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\na=rtcp-mux\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n")
        #expect(throws: SDPNegotiationError.missingTransportAttributes(mid: "a")) { try SDPAnswerer.answer(noFingerprint, local: local) }
        // Plain RTP/AVP (no DTLS-SRTP) is rejected like an unsupported codec.
        let plain = try SessionDescription(parsing: header + "m=audio 9 RTP/AVP 0\r\na=mid:0\r\n" + transport)
        #expect(throws: SDPNegotiationError.nothingAccepted) { try SDPAnswerer.answer(plain, local: local) }
    }
}

/// Offers peergate writes: parseable, bundled, actpass, codecs with RTX.
@Suite struct SDPOffererTests {
    @Test func anOfferCarriesEveryCodecAndTheTransportAttributes() throws {
        var local = SDPLocalParameters(iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl", fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: [1, 2]), sessionID: "9")
        local.directions = [.video: .sendonly, .audio: .recvonly]
        local.sendSSRCs = [.video: (ssrc: 10, rtx: 11)]
        let offer = try SessionDescription(parsing: SDPOfferer.offer(local: local).text)
        #expect(offer.bundleGroup == ["0", "1"])
        let video = offer.media[0]
        #expect(video.kind == "video" && video.direction == .sendonly && video.setup == .actpass)
        #expect(video.formats == ["96", "97", "98", "99", "100", "101", "102", "103"])
        #expect(video.rtpMaps[100]?.name == "H265")
        #expect(video.formatParameters[96]?["profile-level-id"] == "42e01f")
        #expect(video.formatParameters[103]?["apt"] == "102")
        #expect(video.retransmissionSSRCs.first?.rtx == 11)
        let audio = offer.media[1]
        #expect(audio.formats == ["111", "0", "8"] && audio.direction == .recvonly && audio.ssrcs.isEmpty)
        #expect(audio.rtpMaps[111] == SDPRTPMap(name: "opus", clockRate: 48000, channels: 2))
        // peergate's own answerer accepts peergate's offer.
        let (_, media) = try SDPAnswerer.answer(offer, local: local)
        #expect(media.map(\.direction) == [.inactive, .inactive])
        var receiver = local
        receiver.directions = [.video: .recvonly, .audio: .sendonly]
        let (_, accepted) = try SDPAnswerer.answer(offer, local: receiver)
        #expect(accepted.map(\.direction) == [.recvonly, .sendonly])
        #expect(accepted[0].retransmission == [97: 96, 99: 98, 101: 100, 103: 102])
    }

    /// A viewer that prefers VP8 offers it first; each codec keeps its payload type.
    @Test func theOfferFollowsTheOrderOfPreference() throws {
        var local = SDPLocalParameters(iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl", fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: [1, 2]), sessionID: "9")
        local.directions = [.video: .recvonly]
        local.codecs = [.vp8, .h264ConstrainedBaseline, .opus]
        let offer = try SessionDescription(parsing: SDPOfferer.offer(local: local).text)
        #expect(offer.media.map(\.kind) == ["video"])
        #expect(offer.media[0].formats == ["102", "103", "96", "97"])
    }

    /// An answer that keeps only VP8: VP8 is what peergate sends with, but a receiving
    /// section still accepts the other offered formats (RFC 3264 §5.1), since some answerers
    /// send one their answer left out.
    @Test func aReceivingSectionAcceptsEveryOfferedFormat() throws {
        var viewer = SDPLocalParameters(iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl", fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: [1, 2]), sessionID: "9")
        viewer.directions = [.video: .recvonly, .audio: .recvonly]
        let offer = try SessionDescription(parsing: SDPOfferer.offer(local: viewer).text)
        var camera = SDPLocalParameters(iceUfrag: "caUf", icePassword: "abcdefghijkl0123456789", fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: [3, 4]), sessionID: "7")
        camera.directions = [.video: .sendonly]
        camera.codecs = [.vp8]
        camera.sendSSRCs = [.video: (ssrc: 5, rtx: 6)]
        let (answer, _) = try SDPAnswerer.answer(offer, local: camera)
        #expect(answer.media[0].formats == ["102", "103"])
        let media = try SDPOfferer.negotiated(answer: answer, local: viewer)
        #expect(media.count == 1)
        #expect(media[0].codecs.first?.codec == .vp8)
        #expect(media[0].codecs.map(\.payloadType) == [102, 96, 98, 100])
        #expect(media[0].retransmission == [103: 102, 97: 96, 99: 98, 101: 100])
        // A section peergate sends on keeps only what the answer accepted.
        var sender = viewer
        sender.directions = [.video: .sendonly]
        sender.sendSSRCs = [.video: (ssrc: 8, rtx: 9)]
        var receiver = camera
        receiver.directions = [.video: .recvonly]
        let (receiverAnswer, _) = try SDPAnswerer.answer(try SessionDescription(parsing: SDPOfferer.offer(local: sender).text), local: receiver)
        #expect(try SDPOfferer.negotiated(answer: receiverAnswer, local: sender)[0].codecs.map(\.payloadType) == [102])
    }
}
