import NetworkAddress

/// A datagram the transport sends from its socket bound to `base` to `destination`.
public struct ICETransmission: Sendable, Equatable {
    public var bytes: [UInt8]
    public var base: TransportAddress
    public var destination: TransportAddress

    public init(bytes: [UInt8], base: TransportAddress, destination: TransportAddress) {
        self.bytes = bytes
        self.base = base
        self.destination = destination
    }
}

/// Connection states, as `RTCIceConnectionState` names them.
public enum ICEConnectionState: String, Sendable, Equatable {
    case new
    case checking
    case connected
    case disconnected
    case failed
    case closed
}

/// What the agent asks of its transport.
public enum ICEOutput: Sendable, Equatable {
    case transmit(ICETransmission)
    /// A candidate gathered, to signal to the peer (trickle, RFC 8838 §4).
    case localCandidate(ICECandidate)
    /// Gathering finished: signal end-of-candidates (RFC 8838 §13).
    case gatheringComplete
    case stateChanged(ICEConnectionState)
    /// The pair media now flows on (RFC 8445 §8.1.1 nomination, or a new one after restart).
    case selectedPair(local: ICECandidate, remote: ICECandidate)
    /// Application bytes relayed through TURN, unwrapped (the transport demultiplexes them
    /// like a datagram from `source`).
    case application([UInt8], source: TransportAddress)
}

/// Counters of the agent (dropped input is counted, never fatal).
public struct ICECounters: Sendable, Equatable {
    public var checksSent = 0
    public var checksReceived = 0
    public var unauthenticatedRequests = 0
    public var roleConflicts = 0
    public var malformedMessages = 0
    public var droppedRemoteCandidates = 0
    public var droppedApplicationDatagrams = 0
    public var consentRequestsSent = 0
    public var consentResponses = 0

    public init() {}
}
