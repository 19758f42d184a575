import Foundation

extension ServerMessage {
    /// Parses a message received from the signaling service (as a client does); nil when
    /// the text is not one.
    public static func parse(_ text: String) -> ServerMessage? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let typeText = object["messageType"] as? String, let type = SignalingMessageType(rawValue: typeText)
        else { return nil }
        var status: StatusResponse?
        if let fields = object["statusResponse"] as? [String: Any] {
            status = StatusResponse(
                correlationId: fields["correlationId"] as? String ?? "", errorType: fields["errorType"] as? String ?? "",
                statusCode: (fields["statusCode"] as? String) ?? (fields["statusCode"] as? Int).map(String.init) ?? "",
                description: fields["description"] as? String ?? "")
        }
        return ServerMessage(
            messageType: type, senderClientId: object["senderClientId"] as? String ?? "",
            messagePayload: object["messagePayload"] as? String ?? "", statusResponse: status)
    }

    /// The JSON object carried base64-encoded in `messagePayload` (an
    /// RTCSessionDescription or RTCIceCandidate), nil when there is none.
    public var decodedPayload: [String: Any]? {
        guard let data = Data(base64Encoded: messagePayload) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
