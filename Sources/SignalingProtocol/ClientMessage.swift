import Foundation

/// A message a peer sends over the signaling WebSocket:
/// `{"action", "recipientClientId", "messagePayload", "correlationId"}`. Keys are matched
/// case-insensitively, since clients built on the KVS C SDK send `RecipientClientId`,
/// `MessagePayload` (DESIGN.md §3).
public struct ClientMessage: Sendable, Equatable {
    public var action: SignalingMessageType
    public var recipientClientId: String?
    /// Base64 of the JSON of an RTCSessionDescription or RTCIceCandidate.
    public var messagePayload: String
    public var correlationId: String?

    public init(action: SignalingMessageType, recipientClientId: String? = nil, messagePayload: String, correlationId: String? = nil) {
        self.action = action
        self.recipientClientId = recipientClientId
        self.messagePayload = messagePayload
        self.correlationId = correlationId
    }

    /// Why a text frame is not a valid client message, with the correlation id when one
    /// could be read (so the sender can be told).
    public struct Refusal: Error, Sendable, Equatable {
        public let reason: SignalingDropReason
        public let correlationId: String?
        public let description: String
    }

    /// Parses and validates a text frame.
    /// - Parameter maxPayloadCharacters: the largest `messagePayload` accepted (KVS: 10,000).
    public static func parse(_ text: String, maxPayloadCharacters: Int) throws(Refusal) -> ClientMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw Refusal(reason: .malformed, correlationId: nil, description: "the message is not a JSON object")
        }
        var fields: [String: Any] = [:]
        for (key, value) in object { fields[key.lowercased()] = value }
        let correlationId = fields["correlationid"] as? String
        func refuse(_ reason: SignalingDropReason, _ description: String) -> Refusal {
            Refusal(reason: reason, correlationId: correlationId, description: description)
        }
        guard let actionText = fields["action"] as? String else {
            throw refuse(.malformed, "action is required")
        }
        guard let action = SignalingMessageType(rawValue: actionText), action.isClientAction else {
            throw refuse(.badAction, "action must be SDP_OFFER, SDP_ANSWER or ICE_CANDIDATE")
        }
        guard let payload = fields["messagepayload"] as? String, !payload.isEmpty else {
            throw refuse(.malformed, "messagePayload is required")
        }
        guard payload.utf8.count <= maxPayloadCharacters else {
            throw refuse(.payloadTooLarge, "messagePayload is larger than \(maxPayloadCharacters) characters")
        }
        guard payload.utf8.allSatisfy(Self.isBase64Byte) else {
            throw refuse(.malformed, "messagePayload must be base64")
        }
        let recipient = fields["recipientclientid"] as? String
        return ClientMessage(action: action, recipientClientId: recipient?.isEmpty == true ? nil : recipient, messagePayload: payload, correlationId: correlationId)
    }

    private static func isBase64Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default: false
        }
    }

    /// The message as a client writes it (lower camelCase keys).
    public func json() -> String {
        var text = "{\"action\":\(JSONText.quoted(action.rawValue)),\"messagePayload\":\(JSONText.quoted(messagePayload))"
        if let recipientClientId { text += ",\"recipientClientId\":\(JSONText.quoted(recipientClientId))" }
        if let correlationId { text += ",\"correlationId\":\(JSONText.quoted(correlationId))" }
        return text + "}"
    }
}
