#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NetworkAddressNIO
import NIOPosix
import NIOSSL
import ServiceLifecycle
import TURN

/// The STUN/TURN server: UDP and TCP on one port (RFC 8656 §5), TLS on another, relays on
/// UDP ports of the configured range — spread over the event loops, one ``TURNServerCore``.
/// Runs as a service until graceful shutdown.
public final class TURNServer: Service, Sendable {
    public struct Listeners: Sendable {
        public var host: String
        /// STUN and TURN over UDP and TCP; 0 picks a free port (the same for both).
        public var port: Int
        /// TURN over TLS, with this TLS context; nil disables it.
        public var tls: (port: Int, context: NIOSSLContext)?

        public init(host: String, port: Int, tls: (port: Int, context: NIOSSLContext)?) {
            self.host = host
            self.port = port
            self.tls = tls
        }
    }

    private let listeners: Listeners
    private let core: TURNServerCore
    private let logger: Logger
    private let bound: @Sendable (_ listener: String, _ port: Int) -> Void

    /// - Parameter bound: told each listener's port once bound (`"turn"`, `"turnTLS"`).
    public init(listeners: Listeners, core: TURNServerCore, logger: Logger, bound: @escaping @Sendable (String, Int) -> Void) {
        self.listeners = listeners
        self.core = core
        self.logger = logger
        self.bound = bound
    }

    public func run() async throws {
        let eventLoops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let engine = TURNEngine(core: core, eventLoops: eventLoops, metrics: TURNMetrics())
        let (datagrams, stream, port) = try await bindUDPAndTCP(engine: engine, eventLoops: eventLoops)
        bound("turn", port)
        logger.notice("listening", metadata: [
            "listener": "turn", "address": "\(listeners.host):\(port)", "transports": "udp,tcp", "eventLoops": "\(eventLoops.count)",
        ])
        var tlsChannel: (any Channel)?
        if let tls = listeners.tls {
            let channel = try await streamBootstrap(engine: engine, transport: .tls, tls: tls.context)
                .bind(host: listeners.host, port: tls.port).get()
            tlsChannel = channel
            let tlsPort = channel.localAddress?.port ?? tls.port
            bound("turnTLS", tlsPort)
            logger.notice("listening", metadata: ["listener": "turnTLS", "address": "\(listeners.host):\(tlsPort)"])
        }
        let tickLoop = engine.tickContext.eventLoop
        let ticker = tickLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in engine.tick() }
        try? await gracefulShutdown()
        ticker.cancel()
        engine.closeAll()
        for channel in datagrams + [stream, tlsChannel].compactMap({ $0 }) {
            try? await channel.close()
        }
    }

    /// Binds a UDP listener per event loop (SO_REUSEPORT), then TCP on the same port; with
    /// port 0 retries until both get the same one. The TCP listener takes the port without
    /// SO_REUSEPORT, so a second server on the same port fails to start instead of
    /// silently joining the UDP group.
    private func bindUDPAndTCP(engine: TURNEngine, eventLoops: [any EventLoop]) async throws -> ([any Channel], any Channel, Int) {
        var lastError: (any Error)?
        for _ in 0..<(listeners.port == 0 ? 16 : 1) {
            let first = try await datagramBootstrap(engine: engine, eventLoop: eventLoops[0]).bind(host: listeners.host, port: listeners.port).get()
            let port = first.localAddress?.port ?? listeners.port
            var datagrams = [first]
            do {
                let stream = try await streamBootstrap(engine: engine, transport: .tcp, tls: nil).bind(host: listeners.host, port: port).get()
                for eventLoop in eventLoops.dropFirst() {
                    datagrams.append(try await datagramBootstrap(engine: engine, eventLoop: eventLoop).bind(host: listeners.host, port: port).get())
                }
                return (datagrams, stream, port)
            } catch {
                lastError = error
                for channel in datagrams { try? await channel.close() }
            }
        }
        throw lastError ?? ChannelError.inappropriateOperationForState
    }

    private func datagramBootstrap(engine: TURNEngine, eventLoop: any EventLoop) -> DatagramBootstrap {
        let context = engine.context(for: eventLoop)
        return DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            // Vector reads split the receive buffer among the messages: 2 KiB each.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TURNDatagramHandler(engine: engine, context: context))
                }
            }
    }

    /// TCP or TLS; connections are spread over the event loops.
    private func streamBootstrap(engine: TURNEngine, transport: TURNTransport, tls: NIOSSLContext?) -> ServerBootstrap {
        ServerBootstrap(group: engine.tickContext.eventLoop, childGroup: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TURNStreamFramer(), maximumBufferSize: 1 << 17))
                    try channel.pipeline.syncOperations.addHandler(TURNStreamHandler(engine: engine, transport: transport))
                }
            }
    }
}
