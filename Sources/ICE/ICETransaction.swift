import NetworkAddress

/// How a request reaches its destination: straight from a socket, or wrapped in a TURN
/// Send indication through an allocation (RFC 8656 §11).
enum ICERoute: Sendable, Equatable {
    case direct(base: TransportAddress, destination: TransportAddress)
    case relayed(allocation: Int, peer: TransportAddress)
}

/// An outstanding STUN request of the agent with its retransmission schedule
/// (RFC 8489 §6.2.1: RTO doubling, Rc transmissions).
struct ICETransaction: Sendable {
    enum Purpose: Sendable, Equatable {
        /// A connectivity check of a pair, with USE-CANDIDATE or not.
        case check(pair: Int, nominating: Bool)
        /// A consent freshness request on the selected pair (RFC 7675 §5.1).
        case consent(pair: Int)
        /// A Binding request to a STUN server for a server-reflexive candidate (RFC 8445 §5.1.1.1).
        case gather(base: TransportAddress, server: TransportAddress)
        /// A TURN request of allocation `allocation`.
        case turn(allocation: Int, method: UInt16)
    }

    let id: [UInt8]
    let purpose: Purpose
    let request: [UInt8]
    let route: ICERoute
    let firstSent: ContinuousClock.Instant
    var transmissions = 1
    var rto: Duration
    var nextRetransmission: ContinuousClock.Instant
    /// Consent requests are not retransmitted: the next one follows at its interval.
    var retransmits: Bool

    init(id: [UInt8], purpose: Purpose, request: [UInt8], route: ICERoute, now: ContinuousClock.Instant, rto: Duration, retransmits: Bool = true) {
        self.id = id
        self.purpose = purpose
        self.request = request
        self.route = route
        firstSent = now
        self.rto = rto
        nextRetransmission = now + rto
        self.retransmits = retransmits
    }
}
