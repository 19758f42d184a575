import Foundation
import HummingbirdWSClient
import Locking
import Logging
import NIOSSL

/// A peer of the KVS signaling protocol (master or viewer): the counterpart of the KVS
/// SDKs' signaling clients, used by peergate's recorder and republisher.
///
/// ``run()`` keeps a connection open until cancelled: it presigns a fresh URL for every
/// attempt, reconnects after a drop or a GO_AWAY with ``ReconnectBackoff`` (full jitter,
/// 100 ms growing to 10 s, reset after a connection), and reports everything on
/// ``events``. ICE candidates that arrive before their sender's SDP are held back and
/// delivered right after it (``CandidateBuffer``, reset on every new connection).
public final class SignalingClient: Sendable {
    public enum Event: Sendable {
        case connected
        case disconnected(reason: String)
        /// An offer, answer or candidate from a peer (a viewer's client id, or "" for the master).
        case message(ServerMessage)
        /// The service answered a message that carried a correlation id.
        case status(ServerMessage.StatusResponse)
        /// The service is about to close the connection; the client reconnects.
        case goAway
        /// The ICE server configuration changed: fetch new TURN credentials.
        case reconnectIceServer
    }

    public enum SendError: Error, Sendable {
        case notConnected
    }

    public let configuration: SignalingClientConfiguration
    public let events: AsyncStream<Event>
    private let eventSink: AsyncStream<Event>.Continuation
    private let logger: Logger
    private let outgoing = LockedState<AsyncStream<(text: String, action: SignalingMessageType)>.Continuation?>(nil)
    private let buffer = LockedState(CandidateBuffer())
    private let connectionCount = LockedState(0)

    public init(configuration: SignalingClientConfiguration, logger: Logger = Logger(label: "peergate.signaling-client")) {
        self.configuration = configuration
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    /// How many times a connection was established (for tests and metrics).
    public var connections: Int { connectionCount.withLock { $0 } }

    /// Sends a message on the current connection.
    public func send(_ message: ClientMessage) throws(SendError) {
        let sent = outgoing.withLock { continuation -> Bool in
            guard let continuation else { return false }
            if case .enqueued = continuation.yield((message.json(), message.action)) { return true }
            return false
        }
        guard sent else { throw .notConnected }
    }

    /// Connects and reconnects until the task is cancelled; then finishes ``events``.
    public func run() async {
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let reason = await connectOnce()
            eventSink.yield(.disconnected(reason: reason))
            if Task.isCancelled { break }
            // A connection that lasted resets the backoff.
            if ContinuousClock.now - started > .seconds(5) { attempt = 0 }
            let delay = configuration.backoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            logger.notice("signaling connection ended; connecting again", metadata: ["delay": "\(delay)", "reason": "\(reason)"])
            try? await Task.sleep(for: delay)
        }
        eventSink.finish()
    }

    /// One connection from open to close; returns why it ended.
    private func connectOnce() async -> String {
        let url = configuration.presignedURL(now: Int(Date().timeIntervalSince1970))
        do {
            let close = try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 64 * 1024, autoPing: .enabled(timePeriod: .seconds(30))),
                tlsConfiguration: try tlsConfiguration(), logger: logger
            ) { inbound, outbound, _ in
                let (stream, continuation) = AsyncStream<(text: String, action: SignalingMessageType)>.makeStream(bufferingPolicy: .bufferingOldest(256))
                self.outgoing.withLock { $0 = continuation }
                // Peers renegotiate after a reconnection: candidates wait for a new SDP again.
                self.buffer.withLock { $0 = CandidateBuffer(limit: $0.limit) }
                self.connectionCount.withLock { $0 += 1 }
                self.eventSink.yield(.connected)
                defer {
                    self.outgoing.withLock { $0 = nil }
                    continuation.finish()
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // In order, each held as long as the service's rates ask (SignalingSendPacer).
                        var pacer = SignalingSendPacer(sdpPerSecond: self.configuration.sdpPerSecond, candidatesPerSecond: self.configuration.candidatesPerSecond)
                        for await (text, action) in stream {
                            let wait = pacer.wait(for: action, now: .now)
                            if wait > .zero { try await Task.sleep(for: wait) }
                            try await outbound.write(.text(text))
                        }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 64 * 1024) {
                            if case .text(let text) = message { self.handle(text) }
                        }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
            return close.map { "closed (\($0.closeCode)) \($0.reason ?? "")" } ?? "closed"
        } catch {
            return "\(error)"
        }
    }

    private func handle(_ text: String) {
        guard let message = ServerMessage.parse(text) else {
            logger.debug("ignored a message that is not KVS signaling", metadata: ["text": "\(text.prefix(200))"])
            return
        }
        switch message.messageType {
        case .sdpOffer, .sdpAnswer, .iceCandidate:
            for ready in buffer.withLock({ $0.accept(message) }) { eventSink.yield(.message(ready)) }
        case .statusResponse:
            if let status = message.statusResponse { eventSink.yield(.status(status)) }
        case .goAway:
            eventSink.yield(.goAway)
        case .reconnectIceServer:
            eventSink.yield(.reconnectIceServer)
        }
    }

    private func tlsConfiguration() throws -> TLSConfiguration? {
        guard configuration.endpoint.hasPrefix("wss://") else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificateFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
        }
        return tls
    }
}
