import DTLS
import Foundation
import ICE
import NIOCore
import NIOPosix
import SDP
import Signaling
import WebRTC

/// What a ``ChannelMaster`` asks and tells about each viewer.
public protocol ChannelMasterHandler: Actor {
    /// The local side of the answer to `viewer` (directions, codecs, send SSRCs), from the
    /// transport's defaults.
    func localParameters(for viewer: String, defaults: SDPLocalParameters) async -> SDPLocalParameters
    /// The answer went out; the viewer's PeerConnection is starting.
    func viewerJoined(_ viewer: String, connection: PeerConnection, media: [SDPNegotiatedMedia]) async
    func handle(_ event: PeerConnectionEvent, from viewer: String) async
    /// The viewer's session is over (it offered again, its transport failed or closed, its
    /// media stopped, or the master stops); the connection is still open.
    func viewerLeft(_ viewer: String, connection: PeerConnection) async
}

/// The master side of a signaling channel (the KVS master flow): every viewer's offer gets
/// an answer from a PeerConnection of its own, with every local candidate; trickled
/// candidates are applied; each viewer's session ends on its own (see
/// ``ChannelMasterHandler/viewerLeft(_:connection:)``). Runs until the deadline or until
/// the signaling connection ends.
public struct ChannelMaster: Sendable {
    public var transportConfiguration: WebRTCTransportConfiguration
    /// Where each viewer's PeerConnection gets its configuration when set (TURN credentials
    /// renewed before they expire, ``TransportConfigurationSource``); else `transportConfiguration`.
    public var transportSource: TransportConfigurationSource?
    /// A viewer that sends no media this long is let go (nil: no watch, for send-only masters).
    public var mediaTimeout: Duration?

    public init(transportConfiguration: WebRTCTransportConfiguration, mediaTimeout: Duration? = nil) {
        self.transportConfiguration = transportConfiguration
        self.mediaTimeout = mediaTimeout
    }

    /// A master whose PeerConnections take their configuration from `source`.
    public init(transportSource source: TransportConfigurationSource, mediaTimeout: Duration? = nil) async {
        self.init(transportConfiguration: await source.current(), mediaTimeout: mediaTimeout)
        transportSource = source
    }

    public func run(signaling: SignalingClient, until deadline: ContinuousClock.Instant?, handler: some ChannelMasterHandler) async throws {
        let runner = Task { await signaling.run() }
        let stopper = Task {
            if let deadline { try? await Task.sleep(until: deadline) } else { try? await Task.sleep(for: .seconds(365 * 86_400)) }
            runner.cancel()
        }
        let viewers = MasterViewers(handler: handler, mediaTimeout: mediaTimeout)
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await viewers.letGoOfSilentViewers()
            }
        }
        defer {
            stopper.cancel()
            runner.cancel()
            watchdog.cancel()
        }
        for await event in signaling.events {
            if let deadline, ContinuousClock.now >= deadline { break }
            guard case .message(let message) = event, let payload = message.decodedPayload else { continue }
            switch message.messageType {
            case .sdpOffer:
                guard let sdp = payload["sdp"] as? String, let offer = try? SessionDescription(parsing: sdp) else { continue }
                do {
                    try await answer(offer, from: message.senderClientId, signaling: signaling, viewers: viewers, handler: handler)
                } catch {
                    await viewers.leave(message.senderClientId)
                }
            case .iceCandidate:
                if let line = payload["candidate"] as? String, !line.isEmpty, let candidate = try? ICECandidate(sdpValue: line) {
                    try? await viewers.transport(of: message.senderClientId)?.addRemoteCandidate(candidate)
                }
            default:
                continue
            }
        }
        await viewers.leaveAll()
    }

    /// A PeerConnection for one viewer: answer with every candidate, then apply the offer's transport.
    private func answer(_ offer: SessionDescription, from viewer: String, signaling: SignalingClient, viewers: MasterViewers<some ChannelMasterHandler>, handler: some ChannelMasterHandler) async throws {
        await viewers.leave(viewer)
        let configuration = await transportSource?.current() ?? transportConfiguration
        // The master's viewers share a loop (see ViewerLoopPlacement).
        let loop = ViewerLoopPlacement.loop(serving: await viewers.eventLoops(), in: MultiThreadedEventLoopGroup.singleton)
        let transport = try await WebRTCTransport.start(controlling: false, configuration: configuration, certificate: try DTLSCertificate.make(), group: loop)
        let local = await handler.localParameters(for: viewer, defaults: transport.sdpParameters())
        var (answer, media) = try SDPAnswerer.answer(offer, local: local)
        let connection = PeerConnection(transport: transport, negotiated: media, sendSSRCs: local.sendSSRCs)
        var events = connection.events.makeAsyncIterator()
        await connection.start()
        var candidates: [ICECandidate] = []
        while let event = await events.next(), event != .transport(.gatheringComplete) {
            if case .transport(.localCandidate(let candidate)) = event { candidates.append(candidate) }
        }
        answer.addCandidates(candidates, complete: true)
        try signaling.send(ClientMessage(action: .sdpAnswer, recipientClientId: viewer, messagePayload: SignalingPayload.encode(["type": "answer", "sdp": answer.text])))
        await handler.viewerJoined(viewer, connection: connection, media: media)
        let forwarder = Task { [events] in
            var events = events
            while let event = await events.next() {
                await viewers.observe(event, from: viewer, connection: connection)
                await handler.handle(event, from: viewer)
            }
        }
        await viewers.joined(viewer, transport: transport, connection: connection, forwarder: forwarder)
        let remote = try RemoteTransportDescription(offer)
        try await transport.setRemote(credentials: remote.credentials, fingerprint: remote.fingerprint, dtlsRole: remote.localDTLSRole)
        for candidate in remote.candidates { try await transport.addRemoteCandidate(candidate) }
        if remote.endOfCandidates { try await transport.remoteCandidatesComplete() }
    }
}

/// The viewers a ``ChannelMaster`` serves and when each was last heard from.
actor MasterViewers<Handler: ChannelMasterHandler> {
    struct Viewer {
        var transport: WebRTCTransport
        var connection: PeerConnection
        var forwarder: Task<Void, Never>
        var lastMedia = ContinuousClock.now
        /// Frames the connection had delivered when last looked at (``ReceiveActivity``:
        /// events or a frame handler alike).
        var framesSeen = 0
        var ended = false
    }

    let handler: Handler
    let mediaTimeout: Duration?
    private var viewers: [String: Viewer] = [:]

    init(handler: Handler, mediaTimeout: Duration?) {
        self.handler = handler
        self.mediaTimeout = mediaTimeout
    }

    /// The event loop of each viewer's transport.
    func eventLoops() -> [any EventLoop] { viewers.values.map(\.transport.eventLoop) }

    func joined(_ id: String, transport: WebRTCTransport, connection: PeerConnection, forwarder: Task<Void, Never>) {
        viewers[id] = Viewer(transport: transport, connection: connection, forwarder: forwarder)
    }

    func transport(of id: String) -> WebRTCTransport? { viewers[id]?.transport }

    func observe(_ event: PeerConnectionEvent, from id: String, connection: PeerConnection) {
        guard viewers[id]?.connection === connection else { return }
        if event.endsSession != nil { viewers[id]?.ended = true }
    }

    func letGoOfSilentViewers() async {
        let now = ContinuousClock.now
        for (id, viewer) in viewers where viewer.connection.activity.framesReceived != viewer.framesSeen {
            viewers[id]?.framesSeen = viewer.connection.activity.framesReceived
            viewers[id]?.lastMedia = now
        }
        for (id, viewer) in viewers where viewer.ended || mediaTimeout.map({ now - viewer.lastMedia > $0 }) == true {
            await leave(id)
        }
    }

    func leave(_ id: String) async {
        guard let viewer = viewers.removeValue(forKey: id) else { return }
        await handler.viewerLeft(id, connection: viewer.connection)
        viewer.forwarder.cancel()
        await viewer.connection.close()
    }

    func leaveAll() async {
        for id in viewers.keys { await leave(id) }
    }
}
