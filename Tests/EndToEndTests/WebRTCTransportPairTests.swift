import DTLS
import ICE
import NetworkAddress
import PeerGateTestSupport
import Testing
import WebRTC

/// Two of peergate's own WebRTC transports on loopback, trickling candidates to each
/// other: over host candidates, through server-reflexive candidates learnt from
/// peergate's STUN server, and relay-only through peergate's TURN server.
@Suite struct WebRTCTransportPairTests {
    static let turnUser = ["--set", "turn.users.0.username=bench", "--set", "turn.users.0.password=bench-password-0123"]

    /// Starts an offerer and an answerer; each one's candidates that pass `signal` reach the other.
    static func connect(
        offerer offererConfiguration: WebRTCTransportConfiguration, answerer answererConfiguration: WebRTCTransportConfiguration,
        signal: @escaping @Sendable (_ fromOfferer: Bool, ICECandidate) -> Bool = { _, _ in true }
    ) async throws -> (TransportUnderTest, TransportUnderTest) {
        let offerer = try await WebRTCTransport.start(controlling: true, configuration: offererConfiguration, certificate: try DTLSCertificate.make())
        let answerer = try await WebRTCTransport.start(controlling: false, configuration: answererConfiguration, certificate: try DTLSCertificate())
        let offererUnderTest = TransportUnderTest(offerer) { event in
            if case .localCandidate(let candidate) = event, signal(true, candidate) { try? await answerer.addRemoteCandidate(candidate) }
            if event == .gatheringComplete { try? await answerer.remoteCandidatesComplete() }
        }
        let answererUnderTest = TransportUnderTest(answerer) { event in
            if case .localCandidate(let candidate) = event, signal(false, candidate) { try? await offerer.addRemoteCandidate(candidate) }
            if event == .gatheringComplete { try? await offerer.remoteCandidatesComplete() }
        }
        // JSEP: offer actpass, answer active, so the answerer is the DTLS client.
        try await offerer.setRemote(credentials: answerer.localCredentials, fingerprint: answerer.localFingerprint, dtlsRole: .server)
        try await answerer.setRemote(credentials: offerer.localCredentials, fingerprint: offerer.localFingerprint, dtlsRole: .client)
        return (offererUnderTest, answererUnderTest)
    }

    /// Both sides connect, then an RTP packet each way is decrypted by the other.
    static func expectMediaFlows(_ offerer: TransportUnderTest, _ answerer: TransportUnderTest) async throws {
        let isConnected: @Sendable (WebRTCTransportEvent) -> Bool = { if case .connected = $0 { true } else { false } }
        let offererConnected = await offerer.waitFor(isConnected)
        let answererConnected = await answerer.waitFor(isConnected)
        if !(offererConnected && answererConnected) {
            let diagnosis = "offerer \(await offerer.log.events) \(try await offerer.transport.stats()) answerer \(await answerer.log.events) \(try await answerer.transport.stats())"
            Issue.record("not connected: \(diagnosis)")
        }
        let toAnswerer = rtpPacket(sequence: 1, payload: Array("to the answerer".utf8))
        let toOfferer = rtpPacket(sequence: 2, payload: Array("to the offerer".utf8))
        #expect(try await offerer.transport.sendRTP(toAnswerer))
        #expect(try await answerer.transport.sendRTP(toOfferer))
        #expect(await answerer.waitFor(timeout: .seconds(5)) { $0 == .rtp(toAnswerer) })
        #expect(await offerer.waitFor(timeout: .seconds(5)) { $0 == .rtp(toOfferer) })
        let stats = try await offerer.transport.stats()
        #expect(stats.roundTripTime != nil)
        #expect(stats.packetsSent > 0 && stats.packetsReceived > 0)
    }

    static func selected(_ peer: TransportUnderTest) async -> (local: ICECandidate, remote: ICECandidate)? {
        let pairs: [(local: ICECandidate, remote: ICECandidate)] = await peer.log.events.compactMap {
            if case .selectedPair(let local, let remote) = $0 { (local: local, remote: remote) } else { nil }
        }
        return pairs.last
    }

    @Test func hostCandidates() async throws {
        let (offerer, answerer) = try await Self.connect(offerer: WebRTCTransportConfiguration(), answerer: WebRTCTransportConfiguration())
        try await Self.expectMediaFlows(offerer, answerer)
        #expect(await Self.selected(offerer)?.local.kind == .host)
        await offerer.transport.close()
        await answerer.transport.close()
    }

    /// The offerer's socket is bound to 0.0.0.0 but announces 127.0.0.2, so peergate's STUN
    /// server (on 127.0.0.1) sees it at 127.0.0.1: a distinct server-reflexive candidate.
    /// Only that candidate is signaled, so the connection must go through it.
    @Test func serverReflexiveCandidatesFromPeergateSTUN() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0"])
        let port = UInt16(try #require(server.ports["turn"]))
        var offererConfiguration = WebRTCTransportConfiguration(
            interfaces: [WebRTCHostInterface(bindAddress: IPAddress("0.0.0.0")!, announcedAddress: IPAddress("127.0.0.2")!)])
        offererConfiguration.ice.stunServers = [TransportAddress(ip: IPAddress("127.0.0.1")!, port: port)]
        let (offerer, answerer) = try await Self.connect(offerer: offererConfiguration, answerer: WebRTCTransportConfiguration()) { fromOfferer, candidate in
            !fromOfferer || candidate.kind == .serverReflexive
        }
        try await Self.expectMediaFlows(offerer, answerer)
        let gathered = await offerer.gatheredCandidates()
        let reflexive = try #require(gathered.first { $0.kind == .serverReflexive })
        #expect(reflexive.address.ip == IPAddress("127.0.0.1"))
        #expect(reflexive.relatedAddress?.ip == IPAddress("127.0.0.2"))
        #expect(await Self.selected(answerer)?.remote.address == reflexive.address)
        await offerer.transport.close()
        await answerer.transport.close()
        try await server.stop()
    }

    @Test func relayOnlyThroughPeergateTURN() async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"] + Self.turnUser)
        let port = try #require(server.ports["turn"])
        var configuration = WebRTCTransportConfiguration()
        configuration.ice.turnServers = [loopbackTURN(port: port)]
        configuration.ice.policy = .relay
        let (offerer, answerer) = try await Self.connect(offerer: configuration, answerer: configuration)
        try await Self.expectMediaFlows(offerer, answerer)
        #expect(await offerer.gatheredCandidates().map(\.kind) == [.relayed])
        #expect(await Self.selected(offerer)?.local.kind == .relayed)
        #expect(await Self.selected(answerer)?.local.kind == .relayed)
        await offerer.transport.close()
        await answerer.transport.close()
        try await server.stop()
    }
}
