import ICE
import NetworkAddress
import STUN
import TURN
import Testing

/// Relayed sessions that outlive every TURN timer: allocation refreshes, permission
/// refreshes and the server's nonces, which expire and are answered with 438 Stale Nonce
/// (RFC 8656 §7.3, §8, §9; RFC 8489 §9.2.5). Virtual time, peergate's own TURN core.
@Suite struct ICERelayLongevityTests {
    static func address(_ text: String, _ port: UInt16) -> TransportAddress {
        TransportAddress(ip: IPAddress(text)!, port: port)
    }

    static func relayOnlyPair(_ network: SimulatedNetwork) -> (Int, Int) {
        var configuration = ICEConfiguration()
        configuration.policy = .relay
        configuration.turnServers = [ICETURNServer(address: SimulatedNetwork.turnAddress, username: "user", password: "password")]
        let a = network.add(ICEAgent(controlling: true, configuration: configuration), base: address("192.0.2.10", 5000), site: "lan")
        let b = network.add(ICEAgent(controlling: false, configuration: configuration), base: address("192.0.2.20", 6000), site: "lan")
        network.run(for: .milliseconds(50))
        network.connect(a, b)
        network.run(for: .seconds(2))
        return (a, b)
    }

    /// Two hours of a relayed session, data every second: consent never lapses, so neither
    /// side ever reports disconnected, and the data of the last minute arrives.
    @Test(arguments: [UInt64(1), 2, 3])
    func aRelayedSessionOutlivesNoncesRefreshesAndPermissions(seed: UInt64) throws {
        let network = SimulatedNetwork(seed: seed)
        let (a, b) = Self.relayOnlyPair(network)
        #expect(network.endpoints[a].agent.state == .connected)
        // Desynchronise the refresh schedules the way real sessions are: a random start.
        network.run(for: .milliseconds(Int.random(in: 0..<60_000)), step: .milliseconds(100))
        for second in 0..<(2 * 3600) {
            network.endpoints[a].agent.send(ICEConnectivityTests.datagram(UInt8(truncatingIfNeeded: second)))
            network.run(for: .seconds(1), step: .milliseconds(100))
        }
        #expect(network.states(at: a) == [.checking, .connected])
        #expect(network.states(at: b) == [.checking, .connected])
        let received = network.applicationData(at: b)
        #expect(received.count >= 2 * 3600 - 1)
    }

    /// A server whose nonces last 7 s: nearly every refresh and permission request is
    /// challenged, often several at once with the same stale nonce. Each goes again with the
    /// new nonce and none is counted against the credentials, so the session lives on.
    @Test func shortLivedNoncesNeverCostTheAllocation() throws {
        let network = SimulatedNetwork(seed: 4)
        network.turn = TURNServerCore(
            configuration: TURNServerConfiguration(relayAddress: SimulatedNetwork.turnAddress.ip, relayPorts: 40000...40099),
            credentials: TURNCredentialStore(rest: nil, staticUsers: ["user": "password"]), nonces: TURNNonces(lifetime: 7))
        let (a, b) = Self.relayOnlyPair(network)
        for second in 0..<1800 {
            network.endpoints[b].agent.send(ICEConnectivityTests.datagram(UInt8(truncatingIfNeeded: second)))
            network.run(for: .seconds(1), step: .milliseconds(100))
        }
        #expect(network.states(at: a) == [.checking, .connected])
        #expect(network.states(at: b) == [.checking, .connected])
        #expect(network.applicationData(at: a).count >= 1799)
    }
}
