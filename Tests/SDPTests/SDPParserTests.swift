import Foundation
import SDP
import Testing

/// Parsing and serializing real offers (aiortc 1.16's, recorded into Fixtures), the typed
/// WebRTC attributes, and refusal of malformed text.
@Suite struct SDPParserTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "sdp", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func aiortcOfferParsesIntoItsParts() throws {
        let offer = try SessionDescription(parsing: Self.fixture("aiortc-offer"))
        #expect(offer.origin.sessionID == "4004651539")
        #expect(offer.bundleGroup == ["0", "1"])
        #expect(offer.media.map(\.kind) == ["audio", "video"])
        let audio = offer.media[0]
        let video = offer.media[1]
        #expect(audio.mid == "0")
        #expect(audio.direction == .recvonly)
        #expect(video.direction == .sendrecv)
        #expect(audio.rtcpMux)
        #expect(audio.setup == .actpass)
        #expect(audio.endOfCandidates)
        #expect(audio.candidates.count == 2)
        #expect(offer.iceCredentials(of: audio)?.ufrag == "zbuL")
        let fingerprint = try #require(offer.fingerprint(of: audio))
        #expect(fingerprint.algorithm == "sha-256")
        #expect(fingerprint.bytes.count == 32)
        #expect(audio.rtpMaps[96] == SDPRTPMap(name: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpMaps[0] == SDPRTPMap(name: "PCMU", clockRate: 8000))
        #expect(audio.payloadTypes == [96, 9, 0, 8])
        #expect(video.rtpMaps[97]?.name == "VP8")
        #expect(video.formatParameters[99]?["packetization-mode"] == "1")
        #expect(video.formatParameters[99]?["profile-level-id"] == "42001f")
        #expect(video.formatParameters[98]?["apt"] == "97")
        #expect(video.rtcpFeedback[97] == ["nack", "nack pli", "goog-remb"])
        #expect(video.extensionMap[3] == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
        #expect(video.extensionMap[1] == "urn:ietf:params:rtp-hdrext:sdes:mid")
        let fid = video.retransmissionSSRCs
        #expect(fid.count == 1 && fid[0].primary == 750_437_196 && fid[0].rtx == 1_695_590_185)
        #expect(video.ssrcs == [750_437_196, 1_695_590_185])
        #expect(video.msid?.stream == "01a0f37e-7423-4199-8bb6-e053553acf9d")
    }

    @Test func serializingGivesBackTheSameText() throws {
        let text = try Self.fixture("aiortc-offer")
        let offer = try SessionDescription(parsing: text)
        #expect(offer.text == text)
        #expect(try SessionDescription(parsing: offer.text) == offer)
    }

    /// Lines out of RFC 8866 order are kept in that order, the order they are written in
    /// (a finding of fuzzing: the text round-tripped, the structure did not).
    @Test func linesOutOfOrderParseAsTheyAreWritten() throws {
        let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nb=AS:1\r\ni=x\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nb=AS:2\r\ni=y\r\na=mid:0\r\n"
        let description = try SessionDescription(parsing: text)
        #expect(description.otherLines.map(\.type) == ["i", "b"])
        #expect(description.media.first?.otherLines.map(\.type) == ["i", "b"])
        #expect(try SessionDescription(parsing: description.text) == description)
    }

    @Test func bareLineFeedsAndSessionLevelCredentialsAreAccepted() throws {
        let text = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=ice-ufrag:abcd\na=ice-pwd:0123456789abcdef012345\n"
            + "a=fingerprint:sha-256 0A:1B\nm=video 9 UDP/TLS/RTP/SAVPF 96\nc=IN IP4 0.0.0.0\na=mid:v\n"
        let description = try SessionDescription(parsing: text)
        let video = try #require(description.media.first)
        #expect(description.iceCredentials(of: video)?.password == "0123456789abcdef012345")
        #expect(description.fingerprint(of: video) == SDPFingerprint(algorithm: "SHA-256", bytes: [0x0A, 0x1B]))
        #expect(description.fingerprint(of: video)?.text == "sha-256 0A:1B")
        #expect(video.connection == "IN IP4 0.0.0.0")
    }

    @Test(arguments: [
        ("", 0),
        ("o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\n", 1),
        ("v=1\r\n", 1),
        ("v=0\r\no=- 1 2 IN IP4\r\n", 2),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", 4),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n", 5),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n", 6),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nX=1\r\n", 5),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nnot a line\r\n", 5),
        ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=mid:0\r\r\r\n", 5),  // a CR inside a line (fuzzing)
    ])
    func malformedTextIsRefusedNamingTheLine(text: String, line: Int) {
        #expect(throws: SDPParseError.self) { try SessionDescription(parsing: text) }
        do {
            _ = try SessionDescription(parsing: text)
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func oversizedTextIsRefused() {
        let header = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        let big = header + String(repeating: "a=x-padding:0123456789012345678901234567890123456789\r\n", count: 3000)
        #expect(throws: SDPParseError.self) { try SessionDescription(parsing: big) }
        let manySections = header + String(repeating: "m=audio 9 RTP/AVP 0\r\n", count: SessionDescription.maxMediaSections + 1)
        #expect(throws: SDPParseError.self) { try SessionDescription(parsing: manySections) }
    }
}
