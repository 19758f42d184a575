import Foundation
import PeerGateTestSupport
import SDP
import Synchronization
import Testing

/// aiortc applies the answer peergate's SDPAnswerer writes to its offer: the syntax, the
/// directions and the codecs are what an independent implementation accepts.
@Suite struct SDPAiortcTests {
    /// Answers the offer file once it appears (on its own thread: the Python run's output
    /// readers block threads of the cooperative pool while it lasts).
    final class Answerer: Sendable {
        let outcome = Mutex<Result<String, any Error>?>(nil)

        func start(offerPath: String, answerPath: String, local: SDPLocalParameters) {
            Thread.detachNewThread { [self] in
                var text: String?
                for _ in 0..<600 where text == nil {
                    text = try? String(contentsOfFile: offerPath, encoding: .utf8)
                    if text == nil { Thread.sleep(forTimeInterval: 0.05) }
                }
                let result = Result<String, any Error> {
                    let offer = try SessionDescription(parsing: text ?? "")
                    let answer = try SDPAnswerer.answer(offer, local: local).0.text
                    try answer.write(toFile: answerPath + ".tmp", atomically: true, encoding: .utf8)
                    try FileManager.default.moveItem(atPath: answerPath + ".tmp", toPath: answerPath)
                    return answer
                }
                outcome.withLock { $0 = result }
            }
        }
    }

    @Test func aiortcAcceptsARecordersAnswer() async throws {
        let directory = temporaryPath("peergate-sdp")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var local = SDPLocalParameters(
            iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl",
            fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: (0..<32).map { UInt8($0 * 7 & 0xFF) }), sessionID: "4242")
        local.directions = [.audio: .recvonly, .video: .recvonly]
        let answerer = Answerer()
        answerer.start(offerPath: directory + "/offer.sdp", answerPath: directory + "/answer.sdp", local: local)
        let result = try await PythonPeers.run("sdp_answer_check.py", [directory + "/offer.sdp", directory + "/answer.sdp"], timeout: .seconds(60))
        let answer = try #require(answerer.outcome.withLock { $0 }).get()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.checks.count == 5, "\(result.checks) \(result.stderr)")
        #expect(result.failures.isEmpty, "\(result.failures)\n\(answer)")
    }
}

/// aiortc answers an offer peergate's SDPOfferer writes, as a camera master would.
@Suite struct SDPOffererAiortcTests {
    @Test func aiortcAnswersARecordersOffer() async throws {
        let directory = temporaryPath("peergate-sdp-offer")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var local = SDPLocalParameters(
            iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl",
            fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: (0..<32).map { UInt8($0 * 5 & 0xFF) }), sessionID: "77")
        local.directions = [.video: .recvonly, .audio: .recvonly]
        try SDPOfferer.offer(local: local).text.write(toFile: directory + "/offer.sdp", atomically: true, encoding: .utf8)
        let result = try await PythonPeers.run("sdp_offer_check.py", [directory + "/offer.sdp", directory + "/answer.sdp"], timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.checks.count == 3 && result.failures.isEmpty, "\(result.checks) \(result.stderr)")
        let answer = try SessionDescription(parsing: String(contentsOfFile: directory + "/answer.sdp", encoding: .utf8))
        let media = try SDPOfferer.negotiated(answer: answer, local: local)
        let video = try #require(media.first { $0.kind == .video })
        // aiortc sends video; it takes H.264 (Constrained Baseline) and VP8 with their RTX.
        #expect(video.direction == .recvonly)
        let answered = try #require(answer.media.first { $0.kind == "video" })
        #expect(Set(answered.rtpMaps.values.map(\.name)) == ["H264", "VP8", "rtx"])
        #expect(video.codecs.first?.payloadType == 96 && video.codecs.first?.codec.name == "H264")
        // Receiving, peergate still accepts every format it offered (RFC 3264 §5.1).
        #expect(Set(video.codecs.map(\.codec.name)) == ["H264", "H265", "VP8"])
        #expect(video.retransmission[97] == 96 && video.retransmission[103] == 102)
        #expect(video.extensions[SDPHeaderExtension.mid] == 1)
        let audio = try #require(media.first { $0.kind == .audio })
        #expect(audio.codecs.first?.payloadType == 111)
        #expect(audio.direction == .inactive || audio.direction == .recvonly)
    }
}
