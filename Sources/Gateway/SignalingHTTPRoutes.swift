import ControlPlane
import KVSAPI
import Foundation
import Hummingbird
import Signaling

/// The HTTPS operations of the KVS signaling service (`kinesis-video-signaling`).
struct SignalingHTTPRoutes {
    let iceServers: IceServerConfig
    let offers: OfferRelay

    func register(on router: Router<GatewayRequestContext>) {
        let iceServers = self.iceServers
        let offers = self.offers
        router.kvsOperation("/v1/get-ice-server-config", SignalingAPI.GetIceServerConfigInput.self) { input, context throws(KVSError) in
            try iceServers.iceServers(input, accessKeyId: context.accessKeyId ?? "")
        }
        router.kvsOperation("/v1/send-alexa-offer-to-master", SignalingAPI.SendAlexaOfferInput.self) { input, _ throws(KVSError) in
            try await offers.sendOffer(input)
        }
    }
}

/// `send-alexa-offer-to-master`: delivers an SDP offer to the channel's master as a viewer
/// with the sender's client id would, and waits for the master's answer to that client.
struct OfferRelay: Sendable {
    let store: ChannelStore
    let service: SignalingService
    let timeout: Duration

    func sendOffer(_ input: SignalingAPI.SendAlexaOfferInput) async throws(KVSError) -> SignalingAPI.SendAlexaOfferOutput {
        guard let arn = input.ChannelARN, ChannelNaming.name(inARN: arn) != nil else {
            throw .invalidArgument("ChannelARN is not a signaling channel ARN")
        }
        guard let clientId = input.SenderClientId, ChannelNaming.isValidName(clientId) else {
            throw .invalidArgument("SenderClientId must be 1 to 256 characters of [a-zA-Z0-9_.-]")
        }
        guard let payload = input.MessagePayload, !payload.isEmpty else {
            throw .invalidArgument("MessagePayload is required")
        }
        guard let channel = try store.channel(arn: arn) else {
            throw .resourceNotFound("The signaling channel \(arn) does not exist")
        }
        let sink = StreamSink()
        let id: SignalingConnectionID
        do {
            id = try service.open(channelARN: arn, messageTTL: Double(channel.messageTtlSeconds), peer: .viewer(clientId: clientId), sink: sink)
        } catch {
            throw .clientLimitExceeded("The channel has no room for another viewer")
        }
        defer {
            service.disconnect(id)
            sink.finish()
        }
        service.receive(id, text: ClientMessage(action: .sdpOffer, messagePayload: payload, correlationId: "alexa").json())
        let answer = await Self.firstAnswer(in: sink.outbound, timeout: timeout)
        guard let answer else {
            throw .timeout("The master did not answer within \(timeout.components.seconds) s")
        }
        return .init(Answer: answer)
    }

    /// The payload of the first SDP_ANSWER on the stream, nil after `timeout`.
    private static func firstAnswer(in outbound: AsyncStream<StreamSink.Item>, timeout: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await item in outbound {
                    guard case .text(let text) = item,
                        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    else { continue }
                    if object["messageType"] as? String == "SDP_ANSWER" { return object["messagePayload"] as? String }
                    if object["messageType"] as? String == "STATUS_RESPONSE" { return nil }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
