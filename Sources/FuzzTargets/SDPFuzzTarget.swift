import SDP

/// Session descriptions as viewers and masters send them in signaling offers and answers.
public enum SDPFuzzTarget {
    static let local: SDPLocalParameters = {
        var local = SDPLocalParameters(
            iceUfrag: "pgUf", icePassword: "0123456789abcdefghijkl",
            fingerprint: SDPFingerprint(algorithm: "sha-256", bytes: Array(0..<32)), sessionID: "1")
        local.sendSSRCs = [.video: (ssrc: 1111, rtx: 2222), .audio: (ssrc: 3333, rtx: nil)]
        return local
    }()

    /// RFC 8866 parsing, the WebRTC attribute readers (RFC 8839, 8842, 8843), and
    /// negotiation both ways (RFC 8829 answer to the input as an offer, and the input read
    /// as the answer to our offer). A parsed description written out parses to itself,
    /// and any answer we make parses again.
    public static let sessionDescription = FuzzTarget(
        name: "sdp",
        summary: "SDP parser (RFC 8866), WebRTC attributes, answerer and offer negotiation; text round trip and our answers parse"
    ) { bytes in
        guard let description = try? SessionDescription(parsing: String(decoding: bytes, as: UTF8.self)) else { return }
        let again = try? SessionDescription(parsing: description.text)
        if again != description {
            let lines = description.text.split(separator: "\r\n", omittingEmptySubsequences: false)
            let linesAgain = (again?.text ?? "").split(separator: "\r\n", omittingEmptySubsequences: false)
            let first = zip(lines, linesAgain).first { $0 != $1 }.map { "\($0.0.debugDescription) → \($0.1.debugDescription)" }
            let before = "\(description)", after = again.map { "\($0)" } ?? "nil"
            let common = zip(before, after).prefix { $0 == $1 }.count
            let where_ = first ?? "same text; structures differ at …\(before.dropFirst(max(0, common - 80)).prefix(160)) → …\(after.dropFirst(max(0, common - 80)).prefix(160))"
            FuzzCheck.expect(false, "a parsed description written out does not parse to itself: \(where_)")
        }
        for media in description.media {
            _ = (media.mid, media.iceUfrag, media.icePassword, media.iceOptions, media.candidates, media.endOfCandidates)
            _ = (media.rtcpMux, media.setup, media.fingerprint, media.direction)
            _ = description.iceCredentials(of: media)
            _ = description.fingerprint(of: media)
        }
        if let (answer, _) = try? SDPAnswerer.answer(description, local: local) {
            FuzzCheck.expect((try? SessionDescription(parsing: answer.text)) == answer, "our answer does not parse to itself")
        }
        _ = try? SDPOfferer.negotiated(answer: description, local: local)
    }
}
