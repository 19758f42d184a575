import NetworkAddress

/// A local candidate with the base it sends from (RFC 8445 §5.1.1): a host candidate is
/// its own base; a relayed candidate sends through the TURN allocation made from a host base.
struct ICELocalCandidate: Sendable, Equatable {
    var candidate: ICECandidate
    /// The socket the candidate's traffic leaves from.
    var socketBase: TransportAddress
    /// The TURN allocation index for a relayed candidate.
    var allocation: Int?
}

/// A candidate pair and its check state (RFC 8445 §6.1.2.6).
struct ICECandidatePair: Sendable {
    enum State: Sendable, Equatable {
        case frozen
        case waiting
        case inProgress
        case succeeded
        case failed
    }

    let id: Int
    let local: ICELocalCandidate
    let remote: ICECandidate
    var state: State = .waiting
    /// Nominated (RFC 8445 §8.1.1 by the controlling agent, §7.3.1.5 seen by the controlled one).
    var nominated = false
    /// The controlled agent saw USE-CANDIDATE before its own check succeeded.
    var nominateOnSuccess = false
    /// Round-trip time of the last successful check or consent request.
    var roundTripTime: Duration?

    /// RFC 8445 §6.1.2.3: 2^32 · min(G, D) + 2 · max(G, D) + (G > D ? 1 : 0).
    func priority(controlling: Bool) -> UInt64 {
        let g = UInt64(controlling ? local.candidate.priority : remote.priority)
        let d = UInt64(controlling ? remote.priority : local.candidate.priority)
        return (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }
}
