import Foundation
@testable import Signaling
import Testing

/// The client keeps under the service's rates: a master answering many viewers that joined
/// together gets every answer and candidate through (before, the eleventh answer got 429 and
/// its viewer waited in vain).
@Suite struct SignalingSendPacerTests {
    @Test func aBurstOfAnswersAndCandidatesPacedByTheClientIsNeverRateLimited() throws {
        let arn = "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/1"
        let payload = Data(#"{"type":"answer","sdp":"v=0"}"#.utf8).base64EncodedString()
        func run(paced: Bool) throws -> (delivered: Int, limited: Int, seconds: Double) {
            var limits = SignalingLimits()
            limits.maxViewers = 30
            var hub = SignalingHub(limits: limits)
            _ = try hub.connect(SignalingConnectionID(1), channelARN: arn, messageTTL: 60, peer: .master, now: 0)
            for viewer in 0..<30 {
                _ = try hub.connect(SignalingConnectionID(UInt64(viewer + 2)), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v\(viewer)"), now: 0)
            }
            let start = ContinuousClock.now
            var pacer = SignalingSendPacer(now: start)
            var clock = Duration.zero  // when the writer sends the next message
            var delivered = 0
            for viewer in 0..<30 {
                for action in [SignalingMessageType.sdpAnswer, .iceCandidate, .iceCandidate] {
                    if paced { clock += pacer.wait(for: action, now: start + clock) }
                    let text = ClientMessage(action: action, recipientClientId: "v\(viewer)", messagePayload: payload).json()
                    delivered += hub.receive(SignalingConnectionID(1), text: text, now: 10 + clock / .seconds(1)).count
                }
            }
            return (delivered, hub.counters.dropped[.rateLimited] ?? 0, clock / .seconds(1))
        }
        let unpaced = try run(paced: false)
        #expect(unpaced.limited == 40, "\(unpaced)")  // of 30 answers and 60 candidates, 10 and 40 pass
        let paced = try run(paced: true)
        #expect(paced.delivered == 90 && paced.limited == 0, "\(paced)")
        // 9 at once, then one every 1/4.5 s: the thirtieth answer goes after about 4.7 s.
        #expect(paced.seconds > 4.4 && paced.seconds < 5.0, "\(paced)")
    }
}
