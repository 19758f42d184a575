import NetworkAddress

/// A TURN server and the long-term credentials to allocate on it (RFC 8656 §3).
public struct ICETURNServer: Sendable, Equatable {
    public var address: TransportAddress
    public var username: String
    public var password: String

    public init(address: TransportAddress, username: String, password: String) {
        self.address = address
        self.username = username
        self.password = password
    }
}

/// Which candidates an agent pairs: all of them, or only relayed ones (W3C
/// `iceTransportPolicy: "relay"`).
public enum ICETransportPolicy: Sendable, Equatable {
    case all
    case relay
}

/// Timers and servers of an ICE agent; defaults follow the RFCs.
public struct ICEConfiguration: Sendable {
    public var stunServers: [TransportAddress] = []
    public var turnServers: [ICETURNServer] = []
    public var policy: ICETransportPolicy = .all
    /// Pacing of new connectivity checks (RFC 8445 §14.2: Ta, default 50 ms).
    public var pacingInterval: Duration = .milliseconds(50)
    /// First retransmission timeout of a check or gathering request (RFC 8489 §6.2.1: 500 ms;
    /// RFC 8445 §14.3 allows smaller on known-good paths).
    public var initialRTO: Duration = .milliseconds(250)
    /// Transmissions of one request before it fails (RFC 8489 §6.2.1: Rc = 7).
    public var maxTransmissions = 7
    /// The controlling agent nominates the best valid pair once no better pair is still
    /// being checked, or this long after the first pair became valid (RFC 8445 §8.1.1).
    public var nominationDelay: Duration = .milliseconds(100)
    /// Consent checks every 5 s ± 20 % (RFC 7675 §5.1).
    public var consentInterval: Duration = .seconds(5)
    /// No consent this long: the connection is reported disconnected.
    public var disconnectedAfter: Duration = .seconds(10)
    /// No consent this long: stop sending and fail (RFC 7675 §5.1: 30 s).
    public var consentTimeout: Duration = .seconds(30)
    /// The most remote candidates and pairs kept (excess is dropped and counted).
    public var maxRemoteCandidates = 64
    public var maxPairs = 256
    /// Application datagrams held while no pair is usable yet.
    public var maxPendingDatagrams = 32

    public init() {}
}
