import DTLS
import Foundation
import ICE
import RTP
import SDP
import Signaling
import WebRTC

/// `peergate join --role master`: answers every viewer's offer with a PeerConnection that
/// sends an H.264 Annex B file (looped, paced at `fps`) until the time is up.
actor JoinMasterSession {
    let units: [[UInt8]]
    let fps: Int
    let transportConfiguration: WebRTCTransportConfiguration
    private var viewers: [String: (transport: WebRTCTransport, connection: PeerConnection)] = [:]
    private var framesSent: [String: Int] = [:]
    private var tasks: [Task<Void, Never>] = []

    init(units: [[UInt8]], fps: Int, transportConfiguration: WebRTCTransportConfiguration) {
        self.units = units
        self.fps = fps
        self.transportConfiguration = transportConfiguration
    }

    func run(signaling: SignalingClient, duration: Duration?) async throws -> String {
        let runner = Task { await signaling.run() }
        let deadline = duration.map { ContinuousClock.now + $0 }
        let stopper = Task {
            if let deadline { try? await Task.sleep(until: deadline) } else { try? await Task.sleep(for: .seconds(365 * 86_400)) }
            runner.cancel()
        }
        defer { stopper.cancel() }
        for await event in signaling.events {
            if let deadline, ContinuousClock.now >= deadline { break }
            guard case .message(let message) = event, let payload = message.decodedPayload else { continue }
            switch message.messageType {
            case .sdpOffer:
                guard let sdp = payload["sdp"] as? String, let offer = try? SessionDescription(parsing: sdp) else { continue }
                try await answer(offer, from: message.senderClientId, signaling: signaling)
            case .iceCandidate:
                if let line = payload["candidate"] as? String, !line.isEmpty, let candidate = try? ICECandidate(sdpValue: line) {
                    try? await viewers[message.senderClientId]?.transport.addRemoteCandidate(candidate)
                }
            default:
                continue
            }
        }
        for task in tasks { task.cancel() }
        for viewer in viewers.values { await viewer.connection.close() }
        let summary: [String: any Sendable] = ["viewers": viewers.count, "framesSent": framesSent]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// A PeerConnection for one viewer: answer with every candidate, then send the file.
    private func answer(_ offer: SessionDescription, from viewer: String, signaling: SignalingClient) async throws {
        if let old = viewers[viewer] { await old.connection.close() }
        let transport = try await WebRTCTransport.start(controlling: false, configuration: transportConfiguration, certificate: try DTLSCertificate.make())
        var local = transport.sdpParameters()
        local.directions = [.video: .sendonly]
        local.codecs = [.h264ConstrainedBaseline, .h264High]
        local.sendSSRCs = [.video: (ssrc: UInt32.random(in: 1...UInt32.max), rtx: UInt32.random(in: 1...UInt32.max))]
        var (answer, media) = try SDPAnswerer.answer(offer, local: local)
        let connection = PeerConnection(transport: transport, negotiated: media, sendSSRCs: local.sendSSRCs)
        viewers[viewer] = (transport, connection)
        var events = connection.events.makeAsyncIterator()
        await connection.start()
        var candidates: [ICECandidate] = []
        while let event = await events.next(), event != .transport(.gatheringComplete) {
            if case .transport(.localCandidate(let candidate)) = event { candidates.append(candidate) }
        }
        answer.addCandidates(candidates, complete: true)
        let body = (try? JSONSerialization.data(withJSONObject: ["type": "answer", "sdp": answer.text])) ?? Data()
        try signaling.send(ClientMessage(action: .sdpAnswer, recipientClientId: viewer, messagePayload: body.base64EncodedString()))
        let remote = try RemoteTransportDescription(offer)
        try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
        for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
        if remote.endOfCandidates { try await transport.remoteCandidatesComplete() }
        let units = units
        let fps = fps
        tasks.append(Task { [weak self] in
            while let event = await events.next() {
                if case .transport(.connected) = event { break }
            }
            let start = ContinuousClock.now
            var index = 0
            while !Task.isCancelled {
                let sent = (try? await connection.send(frame: units[index % units.count], kind: .video, rtpTimestamp: UInt32(truncatingIfNeeded: index * 90_000 / fps))) ?? false
                if sent { await self?.count(viewer) }
                index += 1
                try? await Task.sleep(until: start + .microseconds(1_000_000 * index / fps))
            }
        })
    }

    private func count(_ viewer: String) {
        framesSent[viewer, default: 0] += 1
    }
}
