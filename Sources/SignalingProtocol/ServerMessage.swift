/// A message the signaling service sends to a peer:
/// `{"senderClientId", "messageType", "messagePayload", "statusResponse"?}`.
public struct ServerMessage: Sendable, Equatable {
    public var messageType: SignalingMessageType
    /// The viewer's client id on messages from a viewer; empty on messages from the master
    /// and from the service.
    public var senderClientId: String
    public var messagePayload: String
    public var statusResponse: StatusResponse?

    public init(messageType: SignalingMessageType, senderClientId: String = "", messagePayload: String = "", statusResponse: StatusResponse? = nil) {
        self.messageType = messageType
        self.senderClientId = senderClientId
        self.messagePayload = messagePayload
        self.statusResponse = statusResponse
    }

    /// The error report sent for a refused message that carried a `correlationId`.
    public struct StatusResponse: Sendable, Equatable {
        public var correlationId: String
        public var errorType: String
        public var statusCode: String
        public var description: String

        public init(correlationId: String, errorType: String, statusCode: String, description: String) {
            self.correlationId = correlationId
            self.errorType = errorType
            self.statusCode = statusCode
            self.description = description
        }
    }

    public static let goAway = ServerMessage(messageType: .goAway)

    public func json() -> String {
        var text = "{\"senderClientId\":\(JSONText.quoted(senderClientId)),\"messageType\":\(JSONText.quoted(messageType.rawValue))"
        text += ",\"messagePayload\":\(JSONText.quoted(messagePayload))"
        if let status = statusResponse {
            text += ",\"statusResponse\":{\"correlationId\":\(JSONText.quoted(status.correlationId)),\"errorType\":\(JSONText.quoted(status.errorType))"
            text += ",\"statusCode\":\(JSONText.quoted(status.statusCode)),\"description\":\(JSONText.quoted(status.description))}"
        }
        return text + "}"
    }
}

/// JSON string literals (RFC 8259 §7).
enum JSONText {
    static func quoted(_ text: String) -> String {
        var output = "\""
        output.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
