import ICE
import NetworkAddress
import STUN
import Testing

/// Pairs of agents connecting over the simulated network: host, server-reflexive through
/// NATs, relay-only through TURN, with loss, role conflicts, consent loss and restart.
@Suite struct ICEConnectivityTests {
    static func address(_ text: String, _ port: UInt16) -> TransportAddress {
        TransportAddress(ip: IPAddress(text)!, port: port)
    }

    static func selectedKinds(_ agent: ICEAgent) -> (ICECandidate.Kind, ICECandidate.Kind)? {
        agent.selectedPair.map { ($0.local.kind, $0.remote.kind) }
    }

    /// 60-byte application datagrams starting with a DTLS-like first byte.
    static func datagram(_ marker: UInt8) -> [UInt8] { [22, marker] + Array(repeating: marker, count: 58) }

    @Test func hostCandidatesConnectAndCarryDataBothWays() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.connect(a, b)
        network.run(for: .milliseconds(300))
        let controlling = network.endpoints[a].agent
        let controlled = network.endpoints[b].agent
        #expect(controlling.state == .connected)
        #expect(controlled.state == .connected)
        #expect(network.states(at: a) == [.checking, .connected])
        #expect(controlling.selectedPair?.remote.address == Self.address("192.0.2.20", 6000))
        #expect(controlled.selectedPair?.remote.address == Self.address("192.0.2.10", 5000))
        #expect(controlling.selectedPair?.roundTripTime != nil)

        controlling.send(Self.datagram(1))
        controlled.send(Self.datagram(2))
        network.pump()
        #expect(network.applicationData(at: b) == [Self.datagram(1)])
        #expect(network.applicationData(at: a) == [Self.datagram(2)])
    }

    @Test func dataSentBeforeAPairIsUsableWaitsForIt() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.endpoints[b].agent.send(Self.datagram(9))
        network.connect(a, b)
        network.run(for: .milliseconds(300))
        #expect(network.applicationData(at: a) == [Self.datagram(9)])
    }

    @Test func agentsBehindNATsConnectThroughServerReflexiveCandidates() throws {
        var configuration = ICEConfiguration()
        configuration.stunServers = [SimulatedNetwork.turnAddress]
        let network = SimulatedNetwork()
        let a = network.add(
            ICEAgent(controlling: true, configuration: configuration), base: Self.address("10.0.0.2", 5000), site: "home",
            publicAddress: Self.address("198.51.100.2", 15000))
        let b = network.add(
            ICEAgent(controlling: false, configuration: configuration), base: Self.address("10.0.0.2", 6000), site: "office",
            publicAddress: Self.address("198.51.100.3", 16000))
        network.run(for: .milliseconds(50))  // STUN answers arrive
        #expect(network.endpoints[a].agent.gatheredCandidates.map(\.kind) == [.host, .serverReflexive])
        #expect(network.endpoints[a].agent.gatheredCandidates.last?.relatedAddress == Self.address("10.0.0.2", 5000))
        network.connect(a, b)
        network.run(for: .seconds(2))
        #expect(network.endpoints[a].agent.state == .connected)
        #expect(network.endpoints[b].agent.state == .connected)
        #expect(network.endpoints[a].agent.selectedPair?.remote.address == Self.address("198.51.100.3", 16000))
        network.endpoints[a].agent.send(Self.datagram(3))
        network.pump()
        #expect(network.applicationData(at: b) == [Self.datagram(3)])
    }

    @Test func relayOnlyAgentsConnectThroughTURN() throws {
        var configuration = ICEConfiguration()
        configuration.policy = .relay
        configuration.turnServers = [ICETURNServer(address: SimulatedNetwork.turnAddress, username: "user", password: "password")]
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true, configuration: configuration), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false, configuration: configuration), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.run(for: .milliseconds(50))
        #expect(network.endpoints[a].agent.gatheredCandidates.map(\.kind) == [.relayed])
        #expect(network.endpoints[a].outputs.contains(.gatheringComplete))
        network.connect(a, b)
        network.run(for: .seconds(2))
        let controlling = network.endpoints[a].agent
        let controlled = network.endpoints[b].agent
        #expect(controlling.state == .connected)
        #expect(controlled.state == .connected)
        #expect(Self.selectedKinds(controlling)?.0 == .relayed)
        #expect(Self.selectedKinds(controlled)?.0 == .relayed)
        controlling.send(Self.datagram(4))
        controlled.send(Self.datagram(5))
        network.pump()
        #expect(network.applicationData(at: b) == [Self.datagram(4)])
        #expect(network.applicationData(at: a) == [Self.datagram(5)])
        #expect(network.staleDeadlines == 0)
    }

    /// The peer's relayed candidate arrives while this agent's own allocation is still
    /// pending: once it completes, the permission is asked for without any other prompt.
    @Test func remoteCandidatesBeforeTheAllocationCompletes() throws {
        var configuration = ICEConfiguration()
        configuration.policy = .relay
        configuration.turnServers = [ICETURNServer(address: SimulatedNetwork.turnAddress, username: "user", password: "password")]
        let network = SimulatedNetwork()
        let b = network.add(ICEAgent(controlling: false, configuration: configuration), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.pump()
        let agentA = ICEAgent(controlling: true, configuration: configuration)
        agentA.gather(bases: [Self.address("192.0.2.10", 5000)], now: network.now)  // Allocate sent, not yet answered
        agentA.setRemoteCredentials(network.endpoints[b].agent.localCredentials, now: network.now)
        for case .localCandidate(let candidate) in network.endpoints[b].outputs { agentA.addRemoteCandidate(candidate, now: network.now) }
        agentA.remoteCandidatesComplete(now: network.now)
        let a = network.endpoints.count
        network.endpoints.append(SimulatedNetwork.Endpoint(agent: agentA, base: Self.address("192.0.2.10", 5000), site: "lan", publicAddress: nil))
        network.pump()
        network.endpoints[b].agent.setRemoteCredentials(agentA.localCredentials, now: network.now)
        for case .localCandidate(let candidate) in network.endpoints[a].outputs {
            network.endpoints[b].agent.addRemoteCandidate(candidate, now: network.now)
        }
        network.run(for: .seconds(2))
        #expect(agentA.state == .connected)
        #expect(network.endpoints[b].agent.state == .connected)
    }

    /// RFC 8656 §9.2: the server refuses permissions for private peers (its default deny
    /// list); the relayed pairs to them fail after one refusal instead of asking again at
    /// every pacing step, and the host pair connects.
    @Test func refusedPermissionIsNotAskedAgain() throws {
        var configuration = ICEConfiguration()
        configuration.turnServers = [ICETURNServer(address: SimulatedNetwork.turnAddress, username: "user", password: "password")]
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true, configuration: configuration), base: Self.address("10.0.0.1", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false, configuration: configuration), base: Self.address("10.0.0.2", 6000), site: "lan")
        network.run(for: .milliseconds(50))
        network.connect(a, b)
        network.run(for: .seconds(10))
        #expect(network.endpoints[a].agent.state == .connected)
        #expect(network.endpoints[b].agent.state == .connected)
        #expect(Self.selectedKinds(network.endpoints[a].agent)?.0 == .host)
        // One refused CreatePermission per agent (its peer's private address), not one per check.
        #expect(network.turn.counters.deniedPeers >= 1)
        #expect(network.turn.counters.deniedPeers <= 2)
    }

    @Test func wrongTURNPasswordFailsGatheringButCompletesIt() throws {
        var configuration = ICEConfiguration()
        configuration.policy = .relay
        configuration.turnServers = [ICETURNServer(address: SimulatedNetwork.turnAddress, username: "user", password: "wrong")]
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true, configuration: configuration), base: Self.address("192.0.2.10", 5000), site: "lan")
        network.run(for: .milliseconds(100))
        #expect(network.endpoints[a].agent.gatheredCandidates.isEmpty)
        #expect(network.endpoints[a].outputs.contains(.gatheringComplete))
    }

    /// Over 100 reproducible loss patterns (a failure names its seed).
    @Test(arguments: 1...100)
    func connectsDespiteTwentyPercentLoss(seed: UInt64) throws {
        let network = SimulatedNetwork(seed: seed)
        network.lossRate = 0.2
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.connect(a, b)
        network.run(for: .seconds(10))
        #expect(network.endpoints[a].agent.state == .connected)
        #expect(network.endpoints[b].agent.state == .connected)
        #expect(network.staleDeadlines == 0)
    }

    @Test func bothControllingResolveTheRoleConflict() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true, tieBreaker: 10), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: true, tieBreaker: 20), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.connect(a, b)
        network.run(for: .seconds(2))
        #expect(network.endpoints[a].agent.state == .connected)
        #expect(network.endpoints[b].agent.state == .connected)
        #expect(network.endpoints[a].agent.isControlling == false)  // the smaller tie-breaker yields
        #expect(network.endpoints[b].agent.isControlling == true)
    }

    @Test func unreachablePeerFailsOnceBothSidesFinishedGathering() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.silenced = [Self.address("192.0.2.20", 6000), Self.address("192.0.2.10", 5000)]
        network.connect(a, b)
        network.run(for: .seconds(30), step: .milliseconds(50))
        #expect(network.endpoints[a].agent.state == .failed)
        #expect(network.endpoints[a].agent.selectedPair == nil)
    }

    @Test func lostConsentDisconnectsThenFailsAndStopsSending() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.connect(a, b)
        network.run(for: .seconds(12), step: .milliseconds(50))
        let agent = network.endpoints[a].agent
        #expect(agent.state == .connected)
        #expect(agent.counters.consentRequestsSent >= 1)
        #expect(agent.counters.consentResponses >= 1)
        network.silenced = [Self.address("192.0.2.20", 6000)]
        network.run(for: .seconds(12), step: .milliseconds(50))
        #expect(agent.state == .disconnected)
        network.run(for: .seconds(20), step: .milliseconds(50))
        #expect(agent.state == .failed)
        let before = network.delivered
        agent.send(Self.datagram(7))
        network.pump()
        #expect(network.delivered == before)
        #expect(agent.counters.droppedApplicationDatagrams == 1)
        #expect(network.staleDeadlines == 0)
    }

    @Test func iceRestartSelectsAPairWithTheNewCredentials() throws {
        let network = SimulatedNetwork()
        let a = network.add(ICEAgent(controlling: true), base: Self.address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false), base: Self.address("192.0.2.20", 6000), site: "lan")
        network.connect(a, b)
        network.run(for: .milliseconds(300))
        let oldCredentials = network.endpoints[a].agent.localCredentials
        network.endpoints[a].outputs.removeAll()
        network.endpoints[b].outputs.removeAll()
        network.endpoints[a].agent.restart(now: network.now)
        network.endpoints[b].agent.restart(now: network.now)
        #expect(network.endpoints[a].agent.localCredentials != oldCredentials)
        // Media keeps flowing on the old pair during the restart.
        network.endpoints[a].agent.send(Self.datagram(8))
        network.pump()
        #expect(network.applicationData(at: b).contains(Self.datagram(8)))
        network.connect(a, b)
        network.run(for: .milliseconds(300))
        #expect(network.endpoints[a].outputs.contains { if case .selectedPair = $0 { true } else { false } })
        #expect(network.endpoints[b].agent.state == .connected)
    }
}
