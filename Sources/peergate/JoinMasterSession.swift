import DTLS
import Foundation
import ICE
import Media
import RTP
import SDP
import Signaling
import WebRTC

/// `peergate join --role master`: answers every viewer's offer with a PeerConnection that
/// sends the source's video and audio (looped, paced by their timestamps) until the time is up.
actor JoinMasterSession {
    let source: JoinMasterSource
    let transportConfiguration: WebRTCTransportConfiguration
    private var viewers: [String: (transport: WebRTCTransport, connection: PeerConnection)] = [:]
    private var framesSent: [String: Int] = [:]
    private var audioFramesSent: [String: Int] = [:]
    private var tasks: [Task<Void, Never>] = []

    init(source: JoinMasterSource, transportConfiguration: WebRTCTransportConfiguration) {
        self.source = source
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
        let summary: [String: any Sendable] = ["viewers": viewers.count, "framesSent": framesSent, "audioFramesSent": audioFramesSent]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// A PeerConnection for one viewer: answer with every candidate, then send the file.
    private func answer(_ offer: SessionDescription, from viewer: String, signaling: SignalingClient) async throws {
        if let old = viewers[viewer] { await old.connection.close() }
        let transport = try await WebRTCTransport.start(controlling: false, configuration: transportConfiguration, certificate: try DTLSCertificate.make())
        var local = transport.sdpParameters()
        local.directions = [.video: .sendonly, .audio: .sendonly]
        local.codecs = source.sdpCodecs
        local.sendSSRCs = [.video: (ssrc: UInt32.random(in: 1...UInt32.max), rtx: UInt32.random(in: 1...UInt32.max)), .audio: (ssrc: UInt32.random(in: 1...UInt32.max), rtx: nil)]
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
        let source = source
        tasks.append(Task { [weak self] in
            while let event = await events.next() {
                if case .transport(.connected) = event { break }
            }
            await Self.send(source, on: connection) { kind in await self?.count(viewer, kind) }
        })
    }

    /// Sends the source in a loop, each frame at its presentation time from the start.
    static func send(_ source: JoinMasterSource, on connection: PeerConnection, sent: (SDPCodec.Kind) async -> Void) async {
        // RTP clock rates of the negotiated codecs (90 kHz video, 48 kHz Opus, 8 kHz G.711).
        let videoRate = Int64(await connection.sendCodec(.video)?.clockRate ?? 90_000)
        let audioRate = Int64(await connection.sendCodec(.audio)?.clockRate ?? 48_000)
        let start = ContinuousClock.now
        var loop: Int64 = 0
        var index = 0
        while !Task.isCancelled {
            if index == source.packets.count { (index, loop) = (0, loop + 1) }
            let packet = source.packets[index]
            index += 1
            let at = loop * source.periodMicroseconds + packet.presentationMicroseconds
            try? await Task.sleep(until: start + .microseconds(at))
            let kind: SDPCodec.Kind = packet.codec.isVideo ? .video : .audio
            let timestamp = UInt32(truncatingIfNeeded: at * (kind == .video ? videoRate : audioRate) / 1_000_000)
            if (try? await connection.send(frame: packet.data, kind: kind, rtpTimestamp: timestamp)) == true { await sent(kind) }
        }
    }

    private func count(_ viewer: String, _ kind: SDPCodec.Kind) {
        if kind == .video { framesSent[viewer, default: 0] += 1 } else { audioFramesSent[viewer, default: 0] += 1 }
    }
}
