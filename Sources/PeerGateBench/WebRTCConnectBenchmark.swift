import DTLS
import ICE
import SDP
import WebRTC

/// Offer → DTLS connected between two of peergate's transports on loopback: the offerer
/// gathers and writes its SDP, the answerer gathers, answers, both apply the other's
/// description, until both report DTLS connected with SRTP keyed.
public struct WebRTCConnectBenchmark: Sendable {
    public let runs: Int

    public init(runs: Int) {
        self.runs = runs
    }

    /// Milliseconds of each run, in order.
    public func run() async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await connectOnce()
            samples.append(SRTPBenchmark.seconds(ContinuousClock.now - start) * 1000)
        }
        return samples
    }

    private func connectOnce() async throws {
        let certificate = try DTLSCertificate.make()
        let offerer = try await WebRTCTransport.start(controlling: true, certificate: certificate)
        var offererEvents = offerer.events.makeAsyncIterator()
        var offer = SDPOfferer.offer(local: Self.parameters(offerer))
        offer.addCandidates(await Self.gathered(&offererEvents), complete: true)
        let offerText = offer.text

        let answerer = try await WebRTCTransport.start(controlling: false, certificate: certificate)
        var answererEvents = answerer.events.makeAsyncIterator()
        let receivedOffer = try SessionDescription(parsing: offerText)
        var (answer, _) = try SDPAnswerer.answer(receivedOffer, local: Self.parameters(answerer))
        answer.addCandidates(await Self.gathered(&answererEvents), complete: true)
        try await Self.apply(receivedOffer, to: answerer)
        try await Self.apply(try SessionDescription(parsing: answer.text), to: offerer)

        let offererConnected = await Self.connected(&offererEvents)
        let answererConnected = await Self.connected(&answererEvents)
        await offerer.close()
        await answerer.close()
        guard offererConnected && answererConnected else { throw WebRTCTransportError.closed }
    }

    static func parameters(_ transport: WebRTCTransport) -> SDPLocalParameters {
        transport.sdpParameters(sessionID: "1")
    }

    static func gathered(_ events: inout AsyncStream<WebRTCTransportEvent>.AsyncIterator) async -> [ICECandidate] {
        var candidates: [ICECandidate] = []
        while let event = await events.next(), event != .gatheringComplete {
            if case .localCandidate(let candidate) = event { candidates.append(candidate) }
        }
        return candidates
    }

    static func apply(_ description: SessionDescription, to transport: WebRTCTransport) async throws {
        let remote = try RemoteTransportDescription(description)
        try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
        for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
        try await transport.remoteCandidatesComplete()
    }

    static func connected(_ events: inout AsyncStream<WebRTCTransportEvent>.AsyncIterator) async -> Bool {
        while let event = await events.next() {
            switch event {
            case .connected: return true
            case .failed, .closed: return false
            default: continue
            }
        }
        return false
    }
}
