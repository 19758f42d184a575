import ICE
import NetworkAddress
import PeerGateTestSupport
import STUN
import TURN

/// A network in memory for ICE agents, with virtual time: sites whose private addresses
/// only reach each other, full-cone NATs, random loss, and a TURN/STUN server (peergate's
/// own sans-I/O core) on a public address.
final class SimulatedNetwork {
    typealias Instant = ContinuousClock.Instant

    struct Endpoint {
        let agent: ICEAgent
        let base: TransportAddress
        let site: String
        /// The NAT's public address for this base, if it sits behind one.
        let publicAddress: TransportAddress?
        var outputs: [ICEOutput] = []
        /// Datagrams the agent did not consume (DTLS/SRTP in a real transport).
        var direct: [[UInt8]] = []
    }

    static let turnAddress = TransportAddress(ip: IPAddress("203.0.113.1")!, port: 3478)
    static let turnSecret = "simulated-turn-secret"

    var endpoints: [Endpoint] = []
    var now: Instant = .now
    var lossRate = 0.0
    /// Drop everything sent from these bases (a peer that vanished).
    var silenced: Set<TransportAddress> = []
    var turn: TURNServerCore
    /// Relayed address → allocation, as the TURN driver would track its sockets.
    var relays: [TransportAddress: AllocationID] = [:]
    var delivered = 0
    /// Times an agent, right after `tick(now:)`, still named a deadline at or before now
    /// (its driver would spin on it and starve socket reads).
    var staleDeadlines = 0
    private var generator: SeededGenerator

    /// `seed` makes the loss pattern (and so the run) reproducible.
    init(seed: UInt64 = 1) {
        generator = SeededGenerator(seed: seed)
        let configuration = TURNServerConfiguration(relayAddress: Self.turnAddress.ip, relayPorts: 40000...40099)
        let rest = TURNRESTCredentials(secret: Self.turnSecret)
        turn = TURNServerCore(configuration: configuration, credentials: TURNCredentialStore(rest: rest, staticUsers: ["user": "password"]))
    }

    var turnSeconds: Int { 1_700_000_000 + Int((now - start).components.seconds) }
    private let start: Instant = .now

    @discardableResult
    func add(_ agent: ICEAgent, base: TransportAddress, site: String, publicAddress: TransportAddress? = nil) -> Int {
        endpoints.append(Endpoint(agent: agent, base: base, site: site, publicAddress: publicAddress))
        agent.gather(bases: [base], now: now)
        return endpoints.count - 1
    }

    /// Signals every candidate and the credentials of each agent to the other (trickle).
    func connect(_ a: Int, _ b: Int) {
        pump()
        endpoints[a].agent.setRemoteCredentials(endpoints[b].agent.localCredentials, now: now)
        endpoints[b].agent.setRemoteCredentials(endpoints[a].agent.localCredentials, now: now)
        exchangeCandidates(a, b)
    }

    /// Hands each side the candidates the other gathered so far, and end-of-candidates
    /// when its gathering finished.
    func exchangeCandidates(_ a: Int, _ b: Int) {
        for (from, to) in [(a, b), (b, a)] {
            for output in endpoints[from].outputs {
                switch output {
                case .localCandidate(let candidate): endpoints[to].agent.addRemoteCandidate(candidate, now: now)
                case .gatheringComplete: endpoints[to].agent.remoteCandidatesComplete(now: now)
                default: break
                }
            }
        }
    }

    /// Runs virtual time forward by `duration` in 5 ms steps, delivering every datagram. An
    /// agent is ticked only when its ``ICEAgent/nextDeadline`` has come, as a driver would:
    /// work it forgets to schedule never happens here either.
    func run(for duration: Duration, step: Duration = .milliseconds(5)) {
        let end = now + duration
        while now < end {
            now += step
            for endpoint in endpoints {
                guard let due = endpoint.agent.nextDeadline, due <= now else { continue }
                endpoint.agent.tick(now: now)
                if let deadline = endpoint.agent.nextDeadline, deadline <= now { staleDeadlines += 1 }
            }
            _ = turn.tick(now: turnSeconds)
            pump()
        }
    }

    /// Delivers datagrams until no agent has anything more to say at this instant.
    func pump() {
        for _ in 0..<100 {
            var moved = false
            for index in endpoints.indices {
                let outputs = endpoints[index].agent.takeOutputs()
                endpoints[index].outputs += outputs
                for case .transmit(let transmission) in outputs {
                    moved = true
                    deliver(transmission)
                }
            }
            if !moved { return }
        }
    }

    /// The address a datagram from `base` appears to come from, seen from `destination`.
    private func source(of base: TransportAddress, towards destination: TransportAddress) -> TransportAddress {
        guard let endpoint = endpoints.first(where: { $0.base == base }), let publicAddress = endpoint.publicAddress else { return base }
        let sameSite = endpoints.contains { $0.base == destination && $0.site == endpoint.site }
        return sameSite ? base : publicAddress
    }

    private func deliver(_ transmission: ICETransmission) {
        guard !silenced.contains(transmission.base), Double.random(in: 0..<1, using: &generator) >= lossRate else { return }
        let source = source(of: transmission.base, towards: transmission.destination)
        if transmission.destination == Self.turnAddress {
            let tuple = TURNFiveTuple(transport: .udp, client: source, server: Self.turnAddress)
            handleTURN(turn.handleSTUN(transmission.bytes, from: tuple, now: turnSeconds))
            return
        }
        if let allocation = relays[transmission.destination] {
            switch turn.peerData(on: allocation, from: source, length: transmission.bytes.count, now: turnSeconds) {
            case .dataIndication(let tuple)?:
                deliverToClient(tuple.client, TURNServerCore.dataIndication(from: source, payload: transmission.bytes))
            case .channel, nil:
                break
            }
            return
        }
        guard let index = endpoints.firstIndex(where: { $0.base == transmission.destination || $0.publicAddress == transmission.destination }) else { return }
        let target = endpoints[index]
        let senderSite = endpoints.first { $0.base == transmission.base }?.site
        if target.publicAddress != nil, target.base == transmission.destination, target.site != senderSite { return }  // private, other site
        delivered += 1
        if !target.agent.receive(transmission.bytes, from: source, at: target.base, now: now) {
            endpoints[index].direct.append(transmission.bytes)
        }
    }

    private func deliverToClient(_ client: TransportAddress, _ bytes: [UInt8]) {
        guard let target = endpoints.first(where: { $0.base == client || $0.publicAddress == client }) else { return }
        delivered += 1
        target.agent.receive(bytes, from: Self.turnAddress, at: target.base, now: now)
    }

    private func handleTURN(_ outputs: [TURNServerCore.Output]) {
        for output in outputs {
            switch output {
            case .toClient(let tuple, let bytes):
                deliverToClient(tuple.client, bytes)
            case .openRelay(let id, let address):
                relays[address] = id
                handleTURN(turn.relayOpened(id, now: turnSeconds))
            case .closeRelay(let id):
                relays = relays.filter { $0.value != id }
            case .toPeer(let id, let peer, let bytes):
                guard let relay = relays.first(where: { $0.value == id })?.key else { continue }
                guard let index = endpoints.firstIndex(where: { $0.base == peer || $0.publicAddress == peer }) else { continue }
                delivered += 1
                if !endpoints[index].agent.receive(bytes, from: relay, at: endpoints[index].base, now: now) {
                    endpoints[index].direct.append(bytes)
                }
            }
        }
    }

    /// Application datagrams each endpoint received.
    func applicationData(at index: Int) -> [[UInt8]] {
        endpoints[index].direct + endpoints[index].outputs.compactMap { if case .application(let bytes, _) = $0 { bytes } else { nil } }
    }

    func states(at index: Int) -> [ICEConnectionState] {
        endpoints[index].outputs.compactMap { if case .stateChanged(let state) = $0 { state } else { nil } }
    }
}
