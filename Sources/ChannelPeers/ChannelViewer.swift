import DTLS
import Foundation
import ICE
import SDP
import Signaling
import WebRTC

/// What a ``ChannelViewer`` hands on: the negotiated media once the master answered, then
/// every event of the PeerConnection (frames, transport state, statistics).
public protocol ChannelViewerHandler: Actor {
    func negotiated(_ media: [SDPNegotiatedMedia], connection: PeerConnection) async
    func handle(_ event: PeerConnectionEvent) async
    /// The session is ending; the connection is still open (read its statistics here).
    func ending(connection: PeerConnection, transport: WebRTCTransport) async
}

/// One viewer session of a signaling channel (the KVS viewer flow): connect, offer receive-
/// only video and audio with every local candidate, apply the master's answer and trickled
/// candidates, forward the PeerConnection's events, and end when the time is up, the
/// signaling client gives up, the peer goes away (ICE failure, DTLS failure, close) or no
/// media arrives for `mediaTimeout`; a signaling connection that drops and comes back does
/// not end it. The caller decides whether to join again.
public struct ChannelViewer: Sendable {
    public enum EndReason: Sendable, Equatable, CustomStringConvertible {
        case deadline
        case signalingEnded
        case peerGone(String)
        case noMedia
        /// The answer (or a candidate) could not be applied.
        case negotiationFailed(String)

        public var description: String {
            switch self {
            case .deadline: "the time was up"
            case .signalingEnded: "the signaling connection ended"
            case .peerGone(let why): "the master went away (\(why))"
            case .noMedia: "no media arrived"
            case .negotiationFailed(let why): "negotiation failed (\(why))"
            }
        }
    }

    public var transportConfiguration: WebRTCTransportConfiguration
    /// Video codecs offered first (a master sends the first it supports).
    public var preferredVideo: [SDPCodec]
    /// With no frame for this long (from the offer on), the session ends.
    public var mediaTimeout: Duration

    public init(transportConfiguration: WebRTCTransportConfiguration, preferredVideo: [SDPCodec] = [], mediaTimeout: Duration = .seconds(15)) {
        self.transportConfiguration = transportConfiguration
        self.preferredVideo = preferredVideo
        self.mediaTimeout = mediaTimeout
    }

    /// Runs one session through `signaling` (not yet running; this runs and stops it).
    public func run(signaling: SignalingClient, until deadline: ContinuousClock.Instant?, handler: some ChannelViewerHandler) async throws -> EndReason {
        let runner = Task { await signaling.run() }
        defer { runner.cancel() }
        let transport = try await WebRTCTransport.start(controlling: true, configuration: transportConfiguration, certificate: try DTLSCertificate.make())
        var local = transport.sdpParameters()
        local.directions = [.video: .recvonly, .audio: .recvonly]
        local.codecs = preferredVideo + local.codecs.filter { !preferredVideo.contains($0) }
        let connection = PeerConnection(transport: transport)
        let watch = SessionWatch()
        var events = connection.events.makeAsyncIterator()
        await connection.start()
        // The offer carries every candidate (masters that do not trickle, such as aiortc, need them).
        var candidates: [ICECandidate] = []
        var complete = false
        let gatherDeadline = ContinuousClock.now + .seconds(10)
        while !complete, ContinuousClock.now < gatherDeadline, let event = await events.next() {
            if case .transport(.localCandidate(let candidate)) = event { candidates.append(candidate) }
            if case .transport(.gatheringComplete) = event { complete = true }
            await handler.handle(event)
        }
        let forwarder = Task {
            while let event = await events.next() {
                await watch.observe(event)
                await handler.handle(event)
            }
            await watch.end(.peerGone("closed"))
        }
        defer { forwarder.cancel() }
        let signalingTask = Task {
            do {
                try await Self.negotiate(signaling: signaling, local: local, candidates: candidates, complete: complete, transport: transport, connection: connection, handler: handler)
                await watch.end(.signalingEnded)
            } catch {
                await watch.end(.negotiationFailed("\(error)"))
            }
        }
        defer { signalingTask.cancel() }
        let reason = await watch.wait(until: deadline, mediaTimeout: mediaTimeout, activity: connection.activity)
        await handler.ending(connection: connection, transport: transport)
        await connection.close()
        return reason
    }

    /// Offers once the signaling connection is up, then applies the answer and candidates.
    static func negotiate(
        signaling: SignalingClient, local: SDPLocalParameters, candidates: [ICECandidate], complete: Bool, transport: WebRTCTransport, connection: PeerConnection,
        handler: some ChannelViewerHandler
    ) async throws {
        var offered = false
        for await event in signaling.events {
            switch event {
            case .connected where !offered:
                var offer = SDPOfferer.offer(local: local)
                offer.addCandidates(candidates, complete: complete)
                try signaling.send(ClientMessage(action: .sdpOffer, messagePayload: SignalingPayload.encode(["type": "offer", "sdp": offer.text])))
                offered = true
            case .disconnected:
                // The server closed the signaling connection (idle for its idle timeout, 10
                // minutes as KVS; a restart): the client connects again, and the media session,
                // which needs no signaling once negotiated, goes on. It ends if its media stops.
                continue
            case .message(let message):
                guard let payload = message.decodedPayload else { continue }
                switch message.messageType {
                case .sdpAnswer:
                    guard let sdp = payload["sdp"] as? String, let answer = try? SessionDescription(parsing: sdp) else { continue }
                    let media = try SDPOfferer.negotiated(answer: answer, local: local)
                    await connection.configure(negotiated: media)
                    await handler.negotiated(media, connection: connection)
                    let remote = try RemoteTransportDescription(answer)
                    try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
                    for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
                    if remote.endOfCandidates { try await transport.remoteCandidatesComplete() }
                case .iceCandidate:
                    // A candidate the transport cannot use is skipped; the others may do.
                    if let line = payload["candidate"] as? String, !line.isEmpty, let candidate = try? ICECandidate(sdpValue: line) {
                        try? await transport.addRemoteCandidate(candidate)
                    }
                default:
                    continue
                }
            default:
                continue
            }
        }
    }
}

/// Base64 of the JSON a browser's RTCSessionDescription or RTCIceCandidate gives.
public enum SignalingPayload {
    public static func encode(_ object: [String: any Sendable]) -> String {
        ((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()).base64EncodedString()
    }
}
