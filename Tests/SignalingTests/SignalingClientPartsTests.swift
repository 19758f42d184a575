import Foundation
import SigV4
@testable import Signaling
import Testing

@Suite struct SignalingClientPartsTests {
    @Test func backoffGrowsFrom100MillisecondsTo10SecondsWithFullJitter() {
        let backoff = ReconnectBackoff()
        #expect(backoff.ceiling(attempt: 0) == .milliseconds(100))
        #expect(backoff.ceiling(attempt: 1) == .milliseconds(200))
        #expect(backoff.ceiling(attempt: 6) == .milliseconds(6400))
        #expect(backoff.ceiling(attempt: 7) == .seconds(10))
        #expect(backoff.ceiling(attempt: 500) == .seconds(10))
        #expect(backoff.delay(attempt: 3, unit: 0) == .zero)
        #expect(backoff.delay(attempt: 3, unit: 0.5) == .milliseconds(400))
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<12 {
            let delay = backoff.delay(attempt: attempt, using: &generator)
            #expect(delay >= .zero && delay <= backoff.ceiling(attempt: attempt))
        }
    }

    @Test func candidatesWaitForTheirSendersSDP() {
        var buffer = CandidateBuffer(limit: 2)
        let candidate1 = ServerMessage(messageType: .iceCandidate, senderClientId: "v1", messagePayload: "YQ==")
        let candidate2 = ServerMessage(messageType: .iceCandidate, senderClientId: "v1", messagePayload: "Yg==")
        let candidate3 = ServerMessage(messageType: .iceCandidate, senderClientId: "v1", messagePayload: "Yw==")
        let other = ServerMessage(messageType: .iceCandidate, senderClientId: "v2", messagePayload: "ZA==")
        let offer = ServerMessage(messageType: .sdpOffer, senderClientId: "v1", messagePayload: "ZQ==")
        #expect(buffer.accept(candidate1).isEmpty)
        #expect(buffer.accept(candidate2).isEmpty)
        #expect(buffer.accept(candidate3).isEmpty)  // beyond the limit: the oldest goes
        #expect(buffer.accept(other).isEmpty)
        #expect(buffer.accept(offer) == [offer, candidate2, candidate3])
        #expect(buffer.accept(candidate1) == [candidate1])  // after the SDP, straight through
        buffer.forget("v1")
        #expect(buffer.accept(candidate1).isEmpty)
        #expect(buffer.accept(.goAway) == [.goAway])
    }

    @Test func presignedURLsVerifyOnTheServerSide() throws {
        let credentials = SigV4Credentials(accessKeyId: "AKIDEXAMPLE0000000", secretAccessKey: "secret-secret-secret")
        let arn = "arn:aws:kinesisvideo:us-east-1:000000000000:channel/cam/1"
        let configuration = SignalingClientConfiguration(
            endpoint: "wss://127.0.0.1:8443/", channelARN: arn, role: .viewer(clientId: "viewer-1"), credentials: credentials, region: "us-east-1")
        let url = configuration.presignedURL(now: 1_700_000_000)
        #expect(url.hasPrefix("wss://127.0.0.1:8443/?X-Amz-ChannelARN=arn%3Aaws%3Akinesisvideo"))
        let query = String(url.split(separator: "?", maxSplits: 1)[1])
        let request = SigV4Request(method: "GET", path: "/", query: QueryString.decode(query), headers: [("Host", "127.0.0.1:8443")])
        let verifier = SigV4Verifier(scope: SigV4Scope(region: "us-east-1", service: "kinesisvideo")) { $0 == credentials.accessKeyId ? credentials.secretAccessKey : nil }
        #expect(try verifier.verify(request, now: 1_700_000_100) == credentials.accessKeyId)
        #expect(request.queryValue("X-Amz-ClientId") == "viewer-1")
        let master = SignalingClientConfiguration(endpoint: "ws://h", channelARN: arn, role: .master, credentials: credentials, region: "us-east-1")
        #expect(!master.presignedURL(now: 0).contains("X-Amz-ClientId"))
    }

    @Test func serverMessagesParseAsClientsReadThem() {
        let text = #"{"senderClientId":"v1","messageType":"SDP_OFFER","messagePayload":"eyJ0eXBlIjoib2ZmZXIifQ=="}"#
        let message = ServerMessage.parse(text)
        #expect(message?.messageType == .sdpOffer)
        #expect(message?.decodedPayload?["type"] as? String == "offer")
        #expect(ServerMessage.parse(#"{"messageType":"NOPE"}"#) == nil)
        let status = ServerMessage.parse(#"{"messageType":"STATUS_RESPONSE","statusResponse":{"correlationId":"c","errorType":"E","statusCode":"400","description":"d"}}"#)
        #expect(status?.statusResponse?.statusCode == "400")
    }
}
