/// Routing of the messages peers send.
extension SignalingHub {
    /// Handles one text frame from a connection.
    public mutating func receive(_ id: SignalingConnectionID, text: String, now: Double) -> [SignalingHubOutput] {
        guard var connection = connections[id] else { return [] }
        connection.lastActivity = now
        let message: ClientMessage
        do {
            message = try ClientMessage.parse(text, maxPayloadCharacters: limits.maxPayloadCharacters)
        } catch {
            connections[id] = connection
            return refuse(id, error.reason, correlationId: error.correlationId, description: error.description)
        }
        let allowed = message.action.isSDP ? connection.sdpBucket.take(now: now) : connection.candidateBucket.take(now: now)
        connections[id] = connection
        guard allowed else {
            let limit = message.action.isSDP ? limits.sdpPerSecond : limits.candidatesPerSecond
            let kind = message.action.isSDP ? "SDP messages" : "ICE candidates"
            return refuse(id, .rateLimited, correlationId: message.correlationId, description: "more than \(Int(limit)) \(kind) per second")
        }
        switch connection.peer {
        case .viewer(let clientId):
            return fromViewer(clientId, channelARN: connection.channelARN, message: message, now: now)
        case .master:
            return fromMaster(id, channelARN: connection.channelARN, message: message)
        }
    }

    /// A viewer's message goes to the master, or is held until one connects.
    private mutating func fromViewer(_ clientId: String, channelARN: String, message: ClientMessage, now: Double) -> [SignalingHubOutput] {
        guard var channel = channels[channelARN] else { return [] }
        let relayed = ServerMessage(messageType: message.action, senderClientId: clientId, messagePayload: message.messagePayload)
        if let master = channel.master {
            counters.relayed += 1
            return [.deliver(master, relayed)]
        }
        if message.action == .sdpOffer {
            // A new offer supersedes everything the viewer had held for the master.
            channel.held.removeAll { $0.sender == clientId }
        }
        channel.held.append(HeldMessage(sender: clientId, message: relayed, expires: now + channel.messageTTL))
        counters.held += 1
        if channel.held.count > limits.maxHeldPerChannel {
            channel.held.removeFirst(channel.held.count - limits.maxHeldPerChannel)
            counters.dropped[.heldOverflow, default: 0] += 1
        }
        channels[channelARN] = channel
        return []
    }

    /// The master's message goes to the viewer it names.
    private mutating func fromMaster(_ id: SignalingConnectionID, channelARN: String, message: ClientMessage) -> [SignalingHubOutput] {
        guard let recipient = message.recipientClientId else {
            return refuse(id, .missingRecipient, correlationId: message.correlationId, description: "the master must give recipientClientId")
        }
        guard let viewer = channels[channelARN]?.viewers[recipient] else {
            return refuse(id, .unknownRecipient, correlationId: message.correlationId, description: "no viewer \(recipient) is connected")
        }
        counters.relayed += 1
        return [.deliver(viewer, ServerMessage(messageType: message.action, senderClientId: "", messagePayload: message.messagePayload))]
    }

    /// Counts a refused message and answers it when it carried a correlation id.
    private mutating func refuse(
        _ id: SignalingConnectionID, _ reason: SignalingDropReason, correlationId: String?, description: String
    ) -> [SignalingHubOutput] {
        counters.dropped[reason, default: 0] += 1
        guard let correlationId else { return [] }
        let status = ServerMessage.StatusResponse(
            correlationId: correlationId, errorType: reason.status.errorType, statusCode: reason.status.code, description: description)
        return [.deliver(id, ServerMessage(messageType: .statusResponse, statusResponse: status))]
    }

    /// Counts a message the driver could not deliver (the connection's queue was full).
    public mutating func countUndeliverable() {
        counters.dropped[.slowConsumer, default: 0] += 1
    }
}
