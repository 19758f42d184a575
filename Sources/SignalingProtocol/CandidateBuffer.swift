/// Holds ICE candidates that arrive before the SDP of their sender, so the application
/// always gets a peer's offer or answer before that peer's candidates (trickle ICE,
/// RFC 8838 §4: candidates are applied to a description). Per sender; at most
/// `limit` candidates each, the oldest dropped beyond it.
public struct CandidateBuffer: Sendable {
    public let limit: Int
    private var described: Set<String> = []
    private var waiting: [String: [ServerMessage]] = [:]

    public init(limit: Int = 100) {
        self.limit = limit
    }

    /// The messages to hand to the application now, in order, for one incoming message.
    public mutating func accept(_ message: ServerMessage) -> [ServerMessage] {
        let sender = message.senderClientId
        switch message.messageType {
        case .sdpOffer, .sdpAnswer:
            described.insert(sender)
            return [message] + (waiting.removeValue(forKey: sender) ?? [])
        case .iceCandidate where !described.contains(sender):
            var held = waiting[sender] ?? []
            held.append(message)
            if held.count > limit { held.removeFirst(held.count - limit) }
            waiting[sender] = held
            return []
        default:
            return [message]
        }
    }

    /// Forgets a sender (its peer connection ended).
    public mutating func forget(_ sender: String) {
        described.remove(sender)
        waiting[sender] = nil
    }
}
