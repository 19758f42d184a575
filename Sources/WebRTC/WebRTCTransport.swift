import DTLS
import ICE
import NIOCore
import NIOPosix
import NetworkAddress
import NetworkAddressNIO
import UDPSockets

/// Why a transport could not start.
public enum WebRTCTransportError: Error, Sendable, CustomStringConvertible {
    case bindFailed(String)
    case closed

    public var description: String {
        switch self {
        case .bindFailed(let reason): "could not bind the WebRTC socket: \(reason)"
        case .closed: "the WebRTC transport is closed"
        }
    }
}

/// A WebRTC transport on UDP sockets (one per host interface, all on one event loop):
/// ICE + DTLS + SRTP from ``WebRTCTransportCore``, driven by NIO. Events arrive on
/// ``events``; media goes out with ``sendRTP(_:)``.
public final class WebRTCTransport: Sendable {
    public let eventLoop: any EventLoop
    public let events: AsyncStream<WebRTCTransportEvent>
    public let localCredentials: ICECredentials
    public let localFingerprint: DTLSFingerprint
    /// The host candidates' addresses (announced address, bound port).
    public let bases: [TransportAddress]
    let driver: NIOLoopBoundBox<WebRTCTransportDriver?>
    /// Datagrams one read of a socket takes at most.
    static let datagramsPerRead = 16

    private init(
        eventLoop: any EventLoop, events: AsyncStream<WebRTCTransportEvent>, credentials: ICECredentials, fingerprint: DTLSFingerprint,
        bases: [TransportAddress], driver: NIOLoopBoundBox<WebRTCTransportDriver?>
    ) {
        self.eventLoop = eventLoop
        self.events = events
        localCredentials = credentials
        localFingerprint = fingerprint
        self.bases = bases
        self.driver = driver
    }

    /// How a transport's sockets are read. They are bound without SO_REUSEADDR: with it, Linux may give a
    /// socket bound to port 0 a port that another live socket holds, and then delivers that
    /// port's datagrams to the newer socket — another connection's media and consent
    /// requests taken away, so that connection fails 30 s later (RFC 7675 §5.1). A
    /// configured fixed port held by another transport is refused instead of shared.
    static func datagramBootstrap(on eventLoop: any EventLoop) -> DatagramBootstrap {
        DatagramBootstrap(group: eventLoop)
            // A frame's packets arrive back to back: one recvmmsg reads them all.
            .channelOption(.datagramVectorReadMessageCount, value: WebRTCTransport.datagramsPerRead)
            // The read buffer is split evenly between the datagrams of one read.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: WebRTCTransport.datagramsPerRead * 2048))
    }

    /// A socket bound by peergate (``UDPSocket``) and handed to a channel on `eventLoop` for
    /// reading; its descriptor stays valid while the channel is open.
    static func bindSocket(_ address: TransportAddress, on eventLoop: any EventLoop) async throws -> (channel: any Channel, port: UInt16, descriptor: CInt) {
        let (descriptor, port) = try UDPSocket.bind(address)
        let channel = try await datagramBootstrap(on: eventLoop).withBoundSocket(descriptor).get()
        return (channel, port, descriptor)
    }

    /// Binds the sockets and starts gathering; candidates follow as events.
    /// - Parameter controlling: the offerer controls ICE (RFC 8445 §6.1.1).
    public static func start(
        controlling: Bool, configuration: WebRTCTransportConfiguration = WebRTCTransportConfiguration(),
        certificate: DTLSCertificate, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WebRTCTransport {
        let eventLoop = group.next()
        let (events, continuation) = AsyncStream.makeStream(of: WebRTCTransportEvent.self, bufferingPolicy: .bufferingNewest(4096))
        let box = try await eventLoop.submit { NIOLoopBoundBox<WebRTCTransportDriver?>(nil, eventLoop: eventLoop) }.get()
        var bound: [(TransportAddress, any Channel, CInt)] = []
        do {
            for interface in configuration.interfaces {
                let (channel, port, descriptor) = try await bindSocket(TransportAddress(ip: interface.bindAddress, port: interface.port), on: eventLoop)
                let base = TransportAddress(ip: interface.announcedAddress ?? interface.bindAddress, port: port)
                try await eventLoop.submit { try channel.pipeline.syncOperations.addHandler(WebRTCDatagramHandler(driver: box, base: base)) }.get()
                bound.append((base, channel, descriptor))
            }
        } catch {
            for (_, channel, _) in bound { try? await channel.close() }
            throw WebRTCTransportError.bindFailed("\(error)")
        }
        let bases = bound.map(\.0)
        let channels = Dictionary(bound.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let descriptors = bound.map { ($0.0, $0.2) }
        let local = try await eventLoop.submit {
            let core = WebRTCTransportCore(controlling: controlling, iceConfiguration: configuration.ice, certificate: certificate)
            core.simulatedMediaLoss = min(max(configuration.simulatedMediaLoss, 0), 1)
            let driver = WebRTCTransportDriver(
                core: core, eventLoop: eventLoop, continuation: continuation, udpSegmentation: configuration.udpSegmentation,
                pollsSockets: configuration.pollsSocketsWhileReceiving
            )
            driver.channels = channels
            for (base, descriptor) in descriptors {
                // Without a sender of its own the socket's datagrams go through the channel.
                driver.senders[base] = try? UDPDatagramSender(duplicating: descriptor, scratch: driver.scratch.segments)
            }
            driver.onTimer = { box.value?.fired() }
            driver.onReceiverTick = { box.value?.receiverTick() }
            box.value = driver
            core.gather(bases: bases, now: .now)
            driver.flush()
            return (core.localCredentials, core.localFingerprint)
        }.get()
        return WebRTCTransport(eventLoop: eventLoop, events: events, credentials: local.0, fingerprint: local.1, bases: bases, driver: box)
    }

    /// Runs `body` with the driver on the event loop, then flushes what it produced; at once
    /// when called on the loop (a ``PeerConnection`` runs there).
    nonisolated(nonsending) func withDriver<Result: Sendable>(_ body: @escaping @Sendable (WebRTCTransportDriver) throws -> Result) async throws -> Result {
        if eventLoop.inEventLoop {
            guard let value = driver.value else { throw WebRTCTransportError.closed }
            defer { value.flush() }
            return try body(value)
        }
        return try await eventLoop.submit { [driver] in
            guard let value = driver.value else { throw WebRTCTransportError.closed }
            defer { value.flush() }
            return try body(value)
        }.get()
    }

    /// The peer's credentials and fingerprint from its SDP, and this side's DTLS role.
    public func setRemote(credentials: ICECredentials, fingerprint: DTLSFingerprint, dtlsRole: DTLSEndpoint.Role) async throws {
        try await withDriver { try $0.core.setRemote(credentials: credentials, fingerprint: fingerprint, dtlsRole: dtlsRole, now: .now) }
    }

    public func addRemoteCandidate(_ candidate: ICECandidate) async throws {
        try await withDriver { $0.core.addRemoteCandidate(candidate, now: .now) }
    }

    public func remoteCandidatesComplete() async throws {
        try await withDriver { $0.core.remoteCandidatesComplete(now: .now) }
    }

    /// Protects and sends an RTP packet; false before the transport is connected.
    public nonisolated(nonsending) func sendRTP(_ packet: [UInt8]) async throws -> Bool {
        try await withDriver { $0.core.sendRTP(packet, now: .now) }
    }

    /// Protects and sends the packets of one frame with one trip to the event loop; false
    /// when any could not be sent.
    public nonisolated(nonsending) func sendRTP(packets: [[UInt8]]) async throws -> Bool {
        try await withDriver { driver in
            let now = ContinuousClock.now
            var sent = true
            for packet in packets { sent = driver.core.sendRTP(packet, now: now) && sent }
            return sent
        }
    }

    /// Protects and sends packets now; only on the event loop (a ``PeerConnection`` runs
    /// there). False when any could not be sent or the transport is closed.
    func sendRTPOnLoop(packets: [[UInt8]]) -> Bool {
        eventLoop.preconditionInEventLoop()
        guard let value = driver.value else { return false }
        defer { value.flush(mediaOnly: true) }
        let now = ContinuousClock.now
        var sent = true
        for packet in packets { sent = value.core.sendRTP(packet, now: now) && sent }
        return sent
    }

    /// Protects and sends a compound RTCP packet now; only on the event loop. False when it
    /// could not be sent or the transport is closed.
    func sendRTCPOnLoop(_ packet: [UInt8]) -> Bool {
        eventLoop.preconditionInEventLoop()
        guard let value = driver.value else { return false }
        defer { value.flush(mediaOnly: true) }
        return value.core.sendRTCP(packet, now: .now)
    }

    /// The counters now; only on the event loop. Nil once closed.
    var statsOnLoop: WebRTCTransportStats? {
        eventLoop.preconditionInEventLoop()
        return driver.value?.core.currentStats
    }

    public nonisolated(nonsending) func sendRTCP(_ packet: [UInt8]) async throws -> Bool {
        try await withDriver { $0.core.sendRTCP(packet, now: .now) }
    }

    public func stats() async throws -> WebRTCTransportStats {
        try await withDriver { $0.core.currentStats }
    }

    /// Sends close_notify, releases TURN allocations and closes the sockets.
    public func close() async {
        _ = try? await eventLoop.submit { [driver] in
            guard let value = driver.value else { return }
            value.core.close(now: .now)
            value.flush()
            value.closeSockets()
            driver.value = nil
        }.get()
    }
}
