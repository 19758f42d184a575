import Foundation
import PeerGateTestSupport
import SigV4
import Signaling
import Testing

/// peergate's own SignalingClient against a running server, through a server restart.
@Suite struct SignalingClientEndToEndTests {
    typealias Events = EventCollector<SignalingClient.Event>

    static func isConnected(_ event: SignalingClient.Event) -> Bool { if case .connected = event { true } else { false } }
    static func isDisconnected(_ event: SignalingClient.Event) -> Bool { if case .disconnected = event { true } else { false } }
    static func message(_ event: SignalingClient.Event?) -> ServerMessage? { if case .message(let m)? = event { m } else { nil } }
    static func isStatus(_ event: SignalingClient.Event) -> Bool { if case .status = event { true } else { false } }
    static func isMessage(_ event: SignalingClient.Event) -> Bool { message(event) != nil }
    static func base64(_ json: String) -> String { Data(json.utf8).base64EncodedString() }

    /// Waits until the server has registered the master: a message to nobody is answered.
    func masterIsRegistered(_ master: SignalingClient, _ events: Events) async throws -> Bool {
        try master.send(ClientMessage(action: .iceCandidate, recipientClientId: "nobody", messagePayload: Self.base64("{}"), correlationId: "probe"))
        return await events.next(where: Self.isStatus) != nil
    }

    @Test func clientsExchangeMessagesAndReconnectAfterTheServerRestarts() async throws {
        var server = try await ServerProcess()
        let port = try #require(server.ports["http"])
        let created = try await server.client(["channels", "create", "client-e2e"])
        #expect(created.status == 0, "\(created.stderr)")
        let arn = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])?["ChannelARN"])
        let credentials = SigV4Credentials(accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey)
        func client(_ role: SignalingPeer) -> SignalingClient {
            SignalingClient(configuration: .init(
                endpoint: "ws://127.0.0.1:\(port)", channelARN: arn, role: role, credentials: credentials, region: "us-east-1",
                backoff: ReconnectBackoff(initial: .milliseconds(100), maximum: .milliseconds(800))))
        }
        let master = client(.master)
        let viewer = client(.viewer(clientId: "swift-viewer"))
        let masterEvents = Events(master.events)
        let viewerEvents = Events(viewer.events)
        let masterTask = Task { await master.run() }
        let viewerTask = Task { await viewer.run() }
        defer {
            masterTask.cancel()
            viewerTask.cancel()
        }

        for round in 1...2 {
            #expect(await masterEvents.next(where: Self.isConnected) != nil, "master connected (round \(round))")
            #expect(await viewerEvents.next(where: Self.isConnected) != nil, "viewer connected (round \(round))")
            #expect(try await masterIsRegistered(master, masterEvents))
            // The candidate is sent before the offer; the master's client still hands over the offer first.
            try viewer.send(ClientMessage(action: .iceCandidate, messagePayload: Self.base64(#"{"candidate":"c\#(round)"}"#)))
            try viewer.send(ClientMessage(action: .sdpOffer, messagePayload: Self.base64(#"{"type":"offer","sdp":"o\#(round)"}"#)))
            let offer = Self.message(await masterEvents.next(where: Self.isMessage))
            let candidate = Self.message(await masterEvents.next(where: Self.isMessage))
            #expect(offer?.messageType == .sdpOffer && offer?.senderClientId == "swift-viewer")
            #expect(offer?.decodedPayload?["sdp"] as? String == "o\(round)")
            #expect(candidate?.messageType == .iceCandidate)
            #expect(candidate?.decodedPayload?["candidate"] as? String == "c\(round)")
            try master.send(ClientMessage(action: .sdpAnswer, recipientClientId: "swift-viewer", messagePayload: Self.base64(#"{"type":"answer"}"#)))
            let answer = Self.message(await viewerEvents.next(where: Self.isMessage))
            #expect(answer?.messageType == .sdpAnswer)
            if round == 1 {
                // Stop the server; start it again on the same port with the same data.
                try await server.stop(keepingData: true)
                #expect(await masterEvents.next(where: Self.isDisconnected) != nil)
                #expect(await viewerEvents.next(where: Self.isDisconnected) != nil)
                server = try await ServerProcess(dataDir: server.dataDir, httpPort: port)
            }
        }
        #expect(master.connections == 2)
        #expect(viewer.connections == 2)
        try await server.stop()
    }
}
