import Foundation
@testable import Signaling
import Testing

@Suite struct SignalingHubTests {
    let arn = "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/1"
    let payload = Data(#"{"type":"offer","sdp":"v=0"}"#.utf8).base64EncodedString()

    func id(_ value: UInt64) -> SignalingConnectionID { SignalingConnectionID(value) }

    func message(_ action: SignalingMessageType, to recipient: String? = nil, correlation: String? = nil, payload: String? = nil) -> String {
        ClientMessage(action: action, recipientClientId: recipient, messagePayload: payload ?? self.payload, correlationId: correlation).json()
    }

    /// A hub with a master (#1) and viewers v1 (#2) and v2 (#3) on the channel.
    func populatedHub(limits: SignalingLimits = SignalingLimits()) throws -> SignalingHub {
        var hub = SignalingHub(limits: limits)
        _ = try hub.connect(id(1), channelARN: arn, messageTTL: 60, peer: .master, now: 0)
        _ = try hub.connect(id(2), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v1"), now: 0)
        _ = try hub.connect(id(3), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v2"), now: 0)
        return hub
    }

    @Test func viewerMessagesReachTheMasterWithTheSenderId() throws {
        var hub = try populatedHub()
        // The viewer's recipientClientId is ignored: viewers talk only to the master.
        let outputs = hub.receive(id(2), text: message(.sdpOffer, to: "v2"), now: 1)
        #expect(outputs == [.deliver(id(1), ServerMessage(messageType: .sdpOffer, senderClientId: "v1", messagePayload: payload))])
        #expect(hub.counters.relayed == 1)
    }

    @Test func masterMessagesReachTheNamedViewerOnly() throws {
        var hub = try populatedHub()
        let outputs = hub.receive(id(1), text: message(.sdpAnswer, to: "v2"), now: 1)
        #expect(outputs == [.deliver(id(3), ServerMessage(messageType: .sdpAnswer, senderClientId: "", messagePayload: payload))])
    }

    @Test func unknownRecipientIsAnsweredWhenCorrelatedAndCountedOtherwise() throws {
        var hub = try populatedHub()
        let answered = hub.receive(id(1), text: message(.iceCandidate, to: "nobody", correlation: "c-1"), now: 1)
        guard case .deliver(let target, let status) = answered.first else {
            Issue.record("no STATUS_RESPONSE")
            return
        }
        #expect(target == id(1))
        #expect(status.messageType == .statusResponse)
        #expect(status.statusResponse?.correlationId == "c-1")
        #expect(status.statusResponse?.errorType == "ResourceNotFoundException")
        #expect(hub.receive(id(1), text: message(.iceCandidate, to: "nobody"), now: 1).isEmpty)
        #expect(hub.counters.dropped[.unknownRecipient] == 2)
        #expect(hub.receive(id(1), text: message(.iceCandidate), now: 1).isEmpty)
        #expect(hub.counters.dropped[.missingRecipient] == 1)
    }

    @Test func secondMasterReplacesTheFirst() throws {
        var hub = try populatedHub()
        let outputs = try hub.connect(id(9), channelARN: arn, messageTTL: 60, peer: .master, now: 5)
        #expect(outputs == [.deliver(id(1), .goAway), .close(id(1), reason: "a newer master connected")])
        #expect(hub.receive(id(2), text: message(.sdpOffer), now: 6).first == .deliver(id(9), ServerMessage(messageType: .sdpOffer, senderClientId: "v1", messagePayload: payload)))
        #expect(hub.receive(id(1), text: message(.sdpAnswer, to: "v1"), now: 6).isEmpty)  // the old master is gone
    }

    @Test func eleventhViewerIsRefusedAndAReconnectingViewerReplacesItself() throws {
        var hub = SignalingHub()
        for index in 0..<10 {
            _ = try hub.connect(id(UInt64(index)), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v\(index)"), now: 0)
        }
        #expect(throws: SignalingConnectRefusal.tooManyViewers(limit: 10)) {
            try hub.connect(id(10), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v10"), now: 0)
        }
        let outputs = try hub.connect(id(11), channelARN: arn, messageTTL: 60, peer: .viewer(clientId: "v3"), now: 1)
        #expect(outputs == [.deliver(id(3), .goAway), .close(id(3), reason: "the viewer v3 connected again")])
        #expect(hub.connectionCount == 10)
        // Another channel has its own limit.
        _ = try hub.connect(id(12), channelARN: arn + "0", messageTTL: 60, peer: .viewer(clientId: "v0"), now: 1)
    }

    @Test func messagesForAnAbsentMasterAreHeldUntilItConnects() throws {
        var hub = SignalingHub()
        _ = try hub.connect(id(2), channelARN: arn, messageTTL: 30, peer: .viewer(clientId: "v1"), now: 0)
        #expect(hub.receive(id(2), text: message(.sdpOffer, payload: "b2xk"), now: 1).isEmpty)
        #expect(hub.receive(id(2), text: message(.iceCandidate, payload: "Y2FuZDE="), now: 2).isEmpty)
        // A newer offer replaces the older offer and its candidates.
        #expect(hub.receive(id(2), text: message(.sdpOffer, payload: "bmV3"), now: 3).isEmpty)
        #expect(hub.receive(id(2), text: message(.iceCandidate, payload: "Y2FuZDI="), now: 4).isEmpty)
        let outputs = try hub.connect(id(1), channelARN: arn, messageTTL: 30, peer: .master, now: 20)
        #expect(outputs == [
            .deliver(id(1), ServerMessage(messageType: .sdpOffer, senderClientId: "v1", messagePayload: "bmV3")),
            .deliver(id(1), ServerMessage(messageType: .iceCandidate, senderClientId: "v1", messagePayload: "Y2FuZDI=")),
        ])
        #expect(hub.counters.deliveredFromHold == 2)
    }

    @Test func heldMessagesExpireAfterTheChannelTTL() throws {
        var hub = SignalingHub()
        _ = try hub.connect(id(2), channelARN: arn, messageTTL: 5, peer: .viewer(clientId: "v1"), now: 0)
        _ = hub.receive(id(2), text: message(.sdpOffer), now: 1)
        _ = hub.tick(now: 6.5)
        #expect(hub.counters.expired == 1)
        #expect(try hub.connect(id(1), channelARN: arn, messageTTL: 5, peer: .master, now: 7).isEmpty)
    }

    @Test func rateLimitsAreFiveSDPAndTwentyCandidatesPerSecondWithDoubleBursts() throws {
        var hub = try populatedHub()
        var delivered = 0
        for _ in 0..<13 { delivered += hub.receive(id(2), text: message(.sdpOffer), now: 10).count }
        #expect(delivered == 10)
        var candidates = 0
        for _ in 0..<45 { candidates += hub.receive(id(2), text: message(.iceCandidate), now: 10).count }
        #expect(candidates == 40)
        #expect(hub.counters.dropped[.rateLimited] == 8)
        // Tokens come back at the sustained rate: one SDP message per 0.2 s.
        #expect(hub.receive(id(2), text: message(.sdpOffer), now: 10.25).count == 1)
        let limited = hub.receive(id(2), text: message(.sdpOffer, correlation: "x"), now: 10.25)
        #expect(limited.first.map { if case .deliver(_, let m) = $0 { m.statusResponse?.statusCode == "429" } else { false } } == true)
    }

    @Test(arguments: [
        ("not json", SignalingDropReason.malformed),
        (#"{"action":"SDP_OFFER"}"#, .malformed),
        (#"{"action":"HELLO","messagePayload":"YQ=="}"#, .badAction),
        (#"{"action":"GO_AWAY","messagePayload":"YQ=="}"#, .badAction),
        (#"{"action":"SDP_OFFER","messagePayload":"not base64!"}"#, .malformed),
    ])
    func badMessagesAreDroppedAndCounted(text: String, reason: SignalingDropReason) throws {
        var hub = try populatedHub()
        #expect(hub.receive(id(2), text: text, now: 1).isEmpty)
        #expect(hub.counters.dropped[reason] == 1)
        #expect(hub.connectionCount == 3)
    }

    @Test func oversizedPayloadIsAnsweredWhenCorrelated() throws {
        var hub = try populatedHub()
        let big = String(repeating: "A", count: 10_004)
        let outputs = hub.receive(id(2), text: message(.sdpOffer, correlation: "big", payload: big), now: 1)
        #expect(outputs.count == 1)
        #expect(hub.counters.dropped[.payloadTooLarge] == 1)
        // Exactly at the limit is fine.
        #expect(hub.receive(id(2), text: message(.sdpOffer, payload: String(big.prefix(10_000))), now: 2).count == 1)
    }

    @Test func keysAreMatchedCaseInsensitively() throws {
        var hub = try populatedHub()
        let text = #"{"Action":"SDP_ANSWER","RecipientClientId":"v1","MessagePayload":"YQ==","CorrelationId":"k"}"#
        #expect(hub.receive(id(1), text: text, now: 1) == [.deliver(id(2), ServerMessage(messageType: .sdpAnswer, messagePayload: "YQ=="))])
    }

    @Test func idleAndLongLivedConnectionsGetGoAwayAndAreClosed() throws {
        var limits = SignalingLimits()
        limits.idleTimeout = 600
        limits.maxConnectionDuration = 3600
        limits.goAwayLead = 60
        var hub = try populatedHub(limits: limits)
        // v1 keeps talking; the master and v2 stay silent.
        for minute in 1...9 { _ = hub.receive(id(2), text: message(.iceCandidate), now: Double(minute * 60)) }
        let idle = hub.tick(now: 600)
        #expect(idle == [.deliver(id(1), .goAway), .close(id(1), reason: "idle for 600 s"), .deliver(id(3), .goAway), .close(id(3), reason: "idle for 600 s")])
        for second in stride(from: 1000, through: 3540, by: 300) { _ = hub.receive(id(2), text: message(.iceCandidate), now: Double(second)) }
        #expect(hub.tick(now: 3540) == [.deliver(id(2), .goAway)])
        #expect(hub.tick(now: 3541).isEmpty)  // GO_AWAY once
        #expect(hub.tick(now: 3600) == [.close(id(2), reason: "maximum connection duration of 3600 s reached")])
        #expect(hub.connectionCount == 0)
    }

    @Test func deletingAChannelSendsGoAwayToEveryone() throws {
        var hub = try populatedHub()
        let outputs = hub.closeChannel(arn, reason: "channel deleted")
        #expect(outputs.count == 6)
        #expect(outputs.filter { if case .deliver(_, let m) = $0 { m == .goAway } else { false } }.count == 3)
        #expect(hub.connectionCount == 0)
    }

    @Test func serverMessagesAreTheKVSJSON() {
        let message = ServerMessage(messageType: .sdpOffer, senderClientId: "v\"1", messagePayload: "YQ==")
        #expect(message.json() == #"{"senderClientId":"v\"1","messageType":"SDP_OFFER","messagePayload":"YQ=="}"#)
        let status = ServerMessage(
            messageType: .statusResponse,
            statusResponse: .init(correlationId: "c", errorType: "InvalidArgumentException", statusCode: "400", description: "bad"))
        let parsed = try? JSONSerialization.jsonObject(with: Data(status.json().utf8)) as? [String: Any]
        #expect((parsed?["statusResponse"] as? [String: String])?["statusCode"] == "400")
    }
}
