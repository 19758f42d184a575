import NetworkAddress
import STUN

/// A full ICE agent (RFC 8445) for one component of one bundled transport, sans-I/O: the
/// transport reports its sockets' addresses, the signaled remote credentials and
/// candidates, datagrams received and the time; the agent answers with ``ICEOutput``s
/// (datagrams to send, candidates to signal, state changes). Trickle ICE (RFC 8838),
/// consent freshness (RFC 7675), TURN relayed candidates (RFC 8656) and ICE restart
/// (RFC 8445 §9) included. Not thread-safe: one event loop drives it.
public final class ICEAgent {
    public typealias Instant = ContinuousClock.Instant

    public let configuration: ICEConfiguration
    /// Random 64-bit tie-breaker for role conflicts (RFC 8445 §7.3.1.1).
    public let tieBreaker: UInt64
    public internal(set) var isControlling: Bool
    public internal(set) var localCredentials: ICECredentials
    public internal(set) var remoteCredentials: ICECredentials?
    public internal(set) var state: ICEConnectionState = .new
    public internal(set) var counters = ICECounters()

    var bases: [TransportAddress] = []
    var localCandidates: [ICELocalCandidate] = []
    /// Every candidate gathered and signaled (host, srflx, relay), for duplicate checks.
    var announcedCandidates: [ICECandidate] = []
    var remoteCandidates: [ICECandidate] = []
    var pairs: [ICECandidatePair] = []
    var nextPairID = 0
    var triggeredQueue: [Int] = []
    var transactions: [[UInt8]: ICETransaction] = [:]
    var allocations: [ICETURNAllocation] = [] {
        didSet { allocationRoutes = allocations.map { ICERoute.direct(base: $0.socketBase, destination: $0.server.address) } }
    }
    /// Each allocation's TURN server as seen from its socket, kept with ``allocations``: every
    /// datagram received is checked against them, and these compare without copying an
    /// allocation (its strings and buffers) per datagram.
    private(set) var allocationRoutes: [ICERoute] = []
    var selectedPairID: Int?
    /// The pair selected before an ICE restart, used until a new one is selected (RFC 8445 §9).
    var retainedPair: ICECandidatePair?
    var nominationInFlight: Int?
    var firstValidAt: Instant?
    var lastCheckSent: Instant?
    /// The time of the last ``tick(now:)``: nothing here reads a clock.
    var lastTick: Instant?
    var remoteGatheringComplete = false
    var gatheringState: GatheringState = .new
    var pendingApplication: [[UInt8]] = []
    var lastConsent: Instant?
    var nextConsentCheck: Instant?
    var outputs: [ICEOutput] = []
    /// The drained batch: swapped with `outputs` so draining allocates nothing.
    private var drained: [ICEOutput] = []

    enum GatheringState {
        case new
        case gathering
        case complete
    }

    public init(controlling: Bool, credentials: ICECredentials = .random(), configuration: ICEConfiguration = ICEConfiguration(), tieBreaker: UInt64 = .random(in: 0...UInt64.max)) {
        isControlling = controlling
        localCredentials = credentials
        self.configuration = configuration
        self.tieBreaker = tieBreaker
    }

    /// Outputs produced since the last call, in order.
    /// Hands each output to `body`, in order. Outputs the body causes wait for the next drain.
    public func drainOutputs(_ body: (ICEOutput) -> Void) {
        guard !outputs.isEmpty else { return }
        swap(&outputs, &drained)
        for output in drained { body(output) }
        drained.removeAll(keepingCapacity: true)
    }

    public func takeOutputs() -> [ICEOutput] {
        defer { outputs.removeAll(keepingCapacity: true) }
        return outputs
    }

    /// The remote peer's ufrag and password (from its SDP). New credentials for an agent
    /// that already had some mean the peer restarted ICE (RFC 8445 §9).
    public func setRemoteCredentials(_ credentials: ICECredentials, now: Instant) {
        if let remoteCredentials, remoteCredentials != credentials { resetChecks() }
        remoteCredentials = credentials
        if state == .new && !pairs.isEmpty { setState(.checking) }
        tick(now: now)
    }

    /// A candidate the peer signaled (in its SDP or trickled). Duplicates are ignored;
    /// beyond ``ICEConfiguration/maxRemoteCandidates`` it is dropped and counted.
    public func addRemoteCandidate(_ candidate: ICECandidate, now: Instant) {
        guard candidate.component == 1 else { return }
        if let index = remoteCandidates.firstIndex(where: { $0.address == candidate.address }) {
            // A trickled candidate replaces a peer-reflexive one learnt from a check (RFC 8445 §7.3.1.3).
            if remoteCandidates[index].kind == .peerReflexive { remoteCandidates[index] = candidate }
            return
        }
        guard remoteCandidates.count < configuration.maxRemoteCandidates else {
            counters.droppedRemoteCandidates += 1
            return
        }
        remoteCandidates.append(candidate)
        for local in localCandidates { makePair(local: local, remote: candidate) }
        if remoteCredentials != nil && state == .new && !pairs.isEmpty { setState(.checking) }
        tick(now: now)
    }

    /// The peer signaled end-of-candidates (RFC 8838 §13).
    public func remoteCandidatesComplete(now: Instant) {
        remoteGatheringComplete = true
        tick(now: now)
    }

    /// The pair media flows on, with its last measured round-trip time.
    public var selectedPair: (local: ICECandidate, remote: ICECandidate, roundTripTime: Duration?)? {
        guard let pair = pair(selectedPairID) ?? retainedPair else { return nil }
        return (pair.local.candidate, pair.remote, pair.roundTripTime)
    }

    /// Candidates gathered so far.
    public var gatheredCandidates: [ICECandidate] { announcedCandidates }

    /// Restarts ICE from this side with fresh credentials (RFC 8445 §9): signal a new offer
    /// with them; media keeps flowing on the old pair until a new one is selected.
    public func restart(credentials: ICECredentials = .random(), now: Instant) {
        localCredentials = credentials
        resetChecks()
        for local in localCandidates { outputs.append(.localCandidate(local.candidate)) }
        setState(.checking)
        tick(now: now)
    }

    /// Stops: no more checks, TURN allocations released.
    public func close(now: Instant) {
        guard state != .closed else { return }
        releaseAllocations(now: now)
        transactions.removeAll()
        triggeredQueue.removeAll()
        setState(.closed)
    }

    func setState(_ newState: ICEConnectionState) {
        guard state != newState, state != .closed else { return }
        state = newState
        outputs.append(.stateChanged(newState))
    }

    func pair(_ id: Int?) -> ICECandidatePair? {
        guard let id else { return nil }
        return pairs.first { $0.id == id }
    }

    func pairIndex(_ id: Int) -> Int? { pairs.firstIndex { $0.id == id } }

    /// Forgets checks and remote candidates for an ICE restart; the selected pair keeps
    /// carrying media until a new one is selected (RFC 8445 §9).
    func resetChecks() {
        retainedPair = pair(selectedPairID) ?? retainedPair
        selectedPairID = nil
        pairs = []
        remoteCandidates = []
        triggeredQueue = []
        transactions = transactions.filter { if case .check = $0.value.purpose { false } else { true } }
        nominationInFlight = nil
        firstValidAt = nil
        remoteGatheringComplete = false
    }
}
