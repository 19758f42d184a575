import DTLS
import Foundation
import ICE
import SDP
import WebRTC

/// The session of `peergate webrtc-probe`: offer/answer over JSON lines, then events.
struct WebRTCProbe {
    let offering: Bool
    let sendRTP: Bool
    let timeout: Duration

    static func emit(_ object: [String: any Sendable]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    static func description(from line: String, type: String) throws -> SessionDescription {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["type"] as? String == type, let sdp = object["sdp"] as? String
        else { throw RuntimeFailure(message: "expected a JSON line {\"type\": \"\(type)\", \"sdp\": …}") }
        return try SessionDescription(parsing: sdp)
    }

    /// Runs until standard input closes after the connection, or until it fails or times out.
    /// Returns whether the transport connected.
    func run(configuration: WebRTCTransportConfiguration, input: AsyncStream<String>) async throws -> Bool {
        let transport = try await WebRTCTransport.start(controlling: offering, configuration: configuration, certificate: try DTLSCertificate.make())
        var lines = input.makeAsyncIterator()
        var events = transport.events.makeAsyncIterator()
        let local = transport.sdpParameters()
        var candidates: [ICECandidate] = []
        while let event = await events.next(), event != .gatheringComplete {
            if case .localCandidate(let candidate) = event { candidates.append(candidate) }
        }
        Self.emit(["event": "ready", "candidates": candidates.count])
        let remote: SessionDescription
        let started: ContinuousClock.Instant
        if offering {
            var offer = SDPOfferer.offer(local: local)
            offer.addCandidates(candidates, complete: true)
            Self.emit(["type": "offer", "sdp": offer.text])
            guard let line = await lines.next() else { return false }
            started = .now
            remote = try Self.description(from: line, type: "answer")
        } else {
            guard let line = await lines.next() else { return false }
            started = .now
            remote = try Self.description(from: line, type: "offer")
            var (answer, _) = try SDPAnswerer.answer(remote, local: local)
            answer.addCandidates(candidates, complete: true)
            Self.emit(["type": "answer", "sdp": answer.text])
        }
        let parameters = try RemoteTransportDescription(remote)
        try await transport.setRemote(credentials: parameters.credentials, fingerprint: parameters.fingerprint, dtlsRole: parameters.localDTLSRole)
        for candidate in parameters.candidates { try await transport.addRemoteCandidate(candidate) }
        try await transport.remoteCandidatesComplete()
        // The transport fails on its own (ICE checks, DTLS timeout); the watchdog enforces --timeout.
        let watchdog = Task { [timeout] in
            try await Task.sleep(for: timeout)
            await transport.close()
        }
        let connected = await waitForConnection(&events, started: started)
        watchdog.cancel()
        if connected {
            let sender = Task { [sendRTP] in
                var sequence: UInt16 = 0
                while sendRTP, !Task.isCancelled {
                    sequence &+= 1
                    _ = try? await transport.sendRTP([0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0, 0, 0x50, 0x47, 0x50, 0x52] + Array("peergate-probe".utf8))
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            let reporter = Task {
                var received = 0
                while let event = await events.next() {
                    if case .rtp = event { received += 1 } else { Self.report(event) }
                    if received == 1 { Self.emit(["event": "rtp", "first": true]) }
                }
            }
            while await lines.next() != nil {}
            sender.cancel()
            reporter.cancel()
            if let stats = try? await transport.stats() {
                Self.emit(["event": "stats", "packetsSent": stats.packetsSent, "packetsReceived": stats.packetsReceived])
            }
        }
        await transport.close()
        return connected
    }

    /// Reports events until the transport connects (true) or fails or is closed (false).
    private func waitForConnection(_ events: inout AsyncStream<WebRTCTransportEvent>.AsyncIterator, started: ContinuousClock.Instant) async -> Bool {
        while let event = await events.next() {
            Self.report(event)
            switch event {
            case .connected(let profile):
                let elapsed = (ContinuousClock.now - started).components
                let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
                Self.emit(["event": "connected", "profile": profile.rawValue, "milliseconds": milliseconds])
                return true
            case .failed, .closed: return false
            default: continue
            }
        }
        return false
    }

    static func report(_ event: WebRTCTransportEvent) {
        switch event {
        case .iceStateChanged(let state): emit(["event": "ice", "state": state.rawValue])
        case .selectedPair(let local, let remote): emit(["event": "selected", "local": local.sdpValue, "remote": remote.sdpValue])
        case .failed(let reason): emit(["event": "failed", "reason": reason])
        default: break
        }
    }
}
