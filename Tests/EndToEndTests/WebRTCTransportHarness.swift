import DTLS
import Foundation
import ICE
import NetworkAddress
import SDP
import WebRTC

/// Records a transport's events and optionally forwards its candidates to a peer
/// transport (trickle ICE within one process).
final class TransportUnderTest: Sendable {
    actor EventLog {
        private(set) var events: [WebRTCTransportEvent] = []
        func append(_ event: WebRTCTransportEvent) { events.append(event) }
    }

    let transport: WebRTCTransport
    let log = EventLog()
    private let task: Task<Void, Never>

    /// - Parameter forward: called with every event (e.g. to trickle candidates to the peer).
    init(_ transport: WebRTCTransport, forward: (@Sendable (WebRTCTransportEvent) async -> Void)? = nil) {
        self.transport = transport
        let log = log
        task = Task {
            for await event in transport.events {
                await log.append(event)
                await forward?(event)
            }
        }
    }

    deinit { task.cancel() }

    /// Waits until an event matches, polling every 10 ms.
    func waitFor(timeout: Duration = .seconds(15), _ predicate: @Sendable (WebRTCTransportEvent) -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if await log.events.contains(where: predicate) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    var connected: Bool {
        get async { await log.events.contains { if case .connected = $0 { true } else { false } } }
    }

    /// The candidates gathered, once gathering completed.
    func gatheredCandidates(timeout: Duration = .seconds(10)) async -> [ICECandidate] {
        _ = await waitFor(timeout: timeout) { $0 == .gatheringComplete }
        return await log.events.compactMap { if case .localCandidate(let candidate) = $0 { candidate } else { nil } }
    }

    func receivedRTP() async -> [[UInt8]] {
        await log.events.compactMap { if case .rtp(let packet) = $0 { packet } else { nil } }
    }

    /// The SDP parameters of this transport for an offer or answer.
    func localParameters() -> SDPLocalParameters {
        SDPLocalParameters(
            iceUfrag: transport.localCredentials.ufrag, icePassword: transport.localCredentials.password,
            fingerprint: SDPFingerprint(transport.localFingerprint), sessionID: String(UInt32.random(in: 1...UInt32.max)))
    }

    /// Applies the peer's description: credentials, fingerprint, DTLS role, candidates.
    func applyRemote(_ description: SessionDescription) async throws {
        let remote = try RemoteTransportDescription(description)
        try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
        for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
        if remote.endOfCandidates { try await transport.remoteCandidatesComplete() }
    }
}

/// RTP test packets: V=2, PT 96, the given sequence number, SSRC 0x01020304, a payload
/// that ends with `payload` (RFC 3550 §5.1).
func rtpPacket(sequence: UInt16, payload: [UInt8]) -> [UInt8] {
    [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0, 0x01, 0x02, 0x03, 0x04] + payload
}

/// A TURN server entry for peergate's TURN on loopback with the static test user.
func loopbackTURN(port: Int) -> ICETURNServer {
    ICETURNServer(address: TransportAddress(ip: IPAddress("127.0.0.1")!, port: UInt16(port)), username: "bench", password: "bench-password-0123")
}
