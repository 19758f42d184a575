import DTLS
import Foundation
import ICE
import PeerGateTestSupport
import SDP
import Testing
import WebRTC

/// peergate's WebRTC transport against aiortc 1.16: ICE + DTLS in both offer/answer (and
/// so both DTLS) roles, over host candidates and relay-only through peergate's TURN, and
/// SRTP keys that agree both ways (Tests/Peers/webrtc_transport_peer.py).
@Suite(.serialized) struct WebRTCTransportAiortcTests {
    static let fromAiortc = [UInt8]([0x80, 96, 0, 7, 0, 0, 0x23, 0x28, 0x0A, 0x0B, 0x0C, 0x0D]) + Array(String(repeating: "sent-by-aiortc", count: 4).utf8)
    static let fromPeergate = Array(String(repeating: "sent-by-peergate", count: 4).utf8)
    static let turnUser = ["--set", "turn.users.0.username=bench", "--set", "turn.users.0.password=bench-password-0123"]

    enum Mode: String, CaseIterable {
        /// aiortc offers, peergate answers (`a=setup:active`: peergate is the DTLS client).
        case aiortcOffers = "offer"
        /// peergate offers (`actpass`), aiortc answers `active`: peergate is the DTLS server.
        case peergateOffers = "answer"
    }

    func exchange(mode: Mode, turnPort: Int?) async throws -> (PythonPeers.Run, TransportUnderTest) {
        let directory = temporaryPath("peergate-webrtc-aiortc")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let turnArguments = turnPort.map { ["127.0.0.1:\($0)", "bench", "bench-password-0123"] } ?? []
        async let run = PythonPeers.run("webrtc_transport_peer.py", [mode.rawValue, directory] + turnArguments, timeout: .seconds(90))

        var configuration = WebRTCTransportConfiguration()
        if let turnPort {
            configuration.ice.turnServers = [loopbackTURN(port: turnPort)]
            configuration.ice.policy = .relay
        }
        let transport = try await WebRTCTransport.start(controlling: mode == .peergateOffers, configuration: configuration, certificate: try DTLSCertificate.make())
        let peer = TransportUnderTest(transport)
        let offerPath = directory + "/offer.sdp"
        let answerPath = directory + "/answer.sdp"
        switch mode {
        case .aiortcOffers:
            let offer = try SessionDescription(parsing: try await waitForFile(offerPath))
            var (answer, _) = try SDPAnswerer.answer(offer, local: peer.localParameters())
            answer.addCandidates(await peer.gatheredCandidates(), complete: true)
            try write(answer.text, to: answerPath)
            try await peer.applyRemote(offer)
        case .peergateOffers:
            var offer = SDPOfferer.offer(local: peer.localParameters())
            offer.addCandidates(await peer.gatheredCandidates(), complete: true)
            try write(offer.text, to: offerPath)
            try await peer.applyRemote(try SessionDescription(parsing: try await waitForFile(answerPath)))
        }
        if await peer.waitFor({ if case .connected = $0 { true } else { false } }) {
            for sequence in UInt16(1)...60 {
                _ = try await transport.sendRTP(rtpPacket(sequence: sequence, payload: Self.fromPeergate))
                if await peer.receivedRTP().contains(Self.fromAiortc), sequence > 10 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let result = try await run
        await transport.close()
        return (result, peer)
    }

    func expectConnectedWithAgreeingKeys(_ run: PythonPeers.Run, _ peer: TransportUnderTest, aiortcDTLSRole: String) async throws {
        #expect(run.status == 0 && run.failures.isEmpty, "\(run.failures) \(run.stderr.suffix(1500))")
        #expect(run.checks.contains { $0.name == "ICE and DTLS connected" && $0.ok })
        #expect(run.checks.contains { $0.name == "aiortc DTLS role" && $0.detail == aiortcDTLSRole }, "\(run.checks)")
        #expect(run.checks.contains { $0.name == "aiortc decrypted peergate's SRTP" && $0.ok })
        #expect(await peer.connected)
        #expect(await peer.receivedRTP().contains(Self.fromAiortc))
    }

    @Test(arguments: Mode.allCases)
    func connectsOverHostCandidates(mode: Mode) async throws {
        let (run, peer) = try await exchange(mode: mode, turnPort: nil)
        try await expectConnectedWithAgreeingKeys(run, peer, aiortcDTLSRole: mode == .aiortcOffers ? "server" : "client")
        #expect(await peer.log.events.contains { if case .selectedPair(let local, _) = $0 { local.kind == .host } else { false } })
    }

    @Test(arguments: Mode.allCases)
    func connectsRelayOnlyThroughPeergateTURN(mode: Mode) async throws {
        let server = try await ServerProcess(arguments: ["--set", "turn.port=0", "--set", "turn.allowLoopbackPeers=true"] + Self.turnUser)
        let port = try #require(server.ports["turn"])
        let (run, peer) = try await exchange(mode: mode, turnPort: port)
        try await server.stop()
        try await expectConnectedWithAgreeingKeys(run, peer, aiortcDTLSRole: mode == .aiortcOffers ? "server" : "client")
        #expect(run.checks.contains { $0.name == "aiortc's selected pair is relayed" && $0.ok }, "\(run.checks)")
        #expect(await peer.log.events.contains { if case .selectedPair(let local, _) = $0 { local.kind == .relayed } else { false } })
    }
}

/// Waits for a file another process writes (atomically, by rename).
func waitForFile(_ path: String, timeout: Duration = .seconds(30)) async throws -> String {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw CocoaError(.fileReadNoSuchFile)
}

func write(_ text: String, to path: String) throws {
    try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
    try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
}
