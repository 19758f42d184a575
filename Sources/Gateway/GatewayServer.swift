import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PeerGateConfig
import Recording
import ServiceLifecycle
import Signaling
import Storage

/// `peergate serve`: opens and migrates the database, starts every listener, writes
/// `ports.json`, and runs until SIGINT/SIGTERM, then shuts down gracefully
/// (swift-service-lifecycle).
public struct GatewayServer: Sendable {
    public let config: PeerGateConfig
    public let logger: Logger
    /// Channels created at start-up when missing (`serve --create-channel`).
    public let channelsToCreate: [String]

    public init(config: PeerGateConfig, logger: Logger, channelsToCreate: [String] = []) {
        self.config = config
        self.logger = logger
        self.channelsToCreate = channelsToCreate
    }

    public func run() async throws {
        let database = try PeerGateDatabase.open(dataDir: config.storage.dataDir, migrations: Migration.bundled())
        for identifier in database.appliedNow {
            logger.notice("applied migration", metadata: ["migration": "\(identifier)"])
        }
        let ports = ListenerPorts(dataDir: config.storage.dataDir, expected: config.http.tls == nil ? ["http", "turn"] : ["http", "turn", "turnTLS"])
        ports.removeFile()
        defer { ports.removeFile() }
        let environment = try GatewayEnvironment(config: config, database: database, logger: logger)
        let recordings = environment.recordings
        let segmentPaths = environment.segmentPaths
        _ = try RecordingReconciler(index: recordings, paths: segmentPaths, logger: logger).run()
        // Channels of `--create-channel` and of configured publishers (a republished camera
        // needs its channel) are made when missing.
        for name in channelsToCreate + config.publishers.map(\.channel) {
            try environment.ensureChannel(name)
        }
        environment.readiness.expect("http")
        environment.readiness.expect("turn")
        if config.http.tls == nil {
            logger.notice("serving plain HTTP and WS: for local use; set http.tls.certificateFile and keyFile for HTTPS and WSS")
        }
        let tlsContext = try config.http.tls.map { try Self.tlsContext($0) }
        let application = try makeApplication(environment, ports: ports, tlsContext: tlsContext)
        let logger = self.logger
        let turn = try TURNSetup.makeServer(environment, tlsContext: tlsContext) { listener, port in
            environment.endpoints.bound(listener, port: port)
            do {
                try ports.record(listener, port: port)
            } catch {
                logger.error("cannot write ports.json", metadata: ["path": "\(ports.filePath)", "error": "\(error)"])
            }
            if listener == "turn" { environment.readiness.markReady("turn") }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [application, SignalingTicker(service: environment.signaling), turn, RetentionService(retention: Self.retention(config, recordings, segmentPaths, logger), logger: logger)]
                    + [RecordersService(environment: environment)]
                    + config.publishers.map { PublisherService(environment: environment, publisher: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        environment.signaling.closeAll(reason: "the server is shutting down")
        logger.notice("stopped")
    }

    /// Retention as configured: `recording.retentionDays` (per-recorder overrides) and
    /// `recording.minFreeDiskMB`.
    static func retention(_ config: PeerGateConfig, _ index: RecordingIndex, _ paths: SegmentPaths, _ logger: Logger) -> RecordingRetention {
        func age(_ days: Int) -> Duration? { days > 0 ? .seconds(days * 86_400) : nil }
        var channels: [String: Duration?] = [:]
        for recorder in config.recorders { if let days = recorder.retentionDays { channels[recorder.channel] = age(days) } }
        let policy = RecordingRetention.Policy(
            maxAge: age(config.recording.retentionDays), channelMaxAge: channels, minFreeBytes: Int64(config.recording.minFreeDiskMB) * 1_048_576)
        return RecordingRetention(index: index, paths: paths, policy: policy, logger: logger)
    }

    private func makeApplication(_ environment: GatewayEnvironment, ports: ListenerPorts, tlsContext: NIOSSLContext?) throws -> some ApplicationProtocol {
        let http = config.http
        let logger = self.logger
        return Application(
            router: GatewayRouter.make(environment),
            server: try serverBuilder(environment, tlsContext: tlsContext),
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "peergate/\(PeerGateVersion.current)"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? http.port
                environment.endpoints.bound("http", port: port)
                do {
                    try ports.record("http", port: port)
                } catch {
                    logger.error("cannot write ports.json", metadata: ["path": "\(ports.filePath)", "error": "\(error)"])
                }
                environment.readiness.markReady("http")
                logger.notice("listening", metadata: ["listener": "http", "url": "\(environment.endpoints.httpsURL)", "websocket": "\(environment.endpoints.wssURL)"])
            },
            logger: logger)
    }

    /// HTTP/1.1 with the signaling WebSocket upgrade, inside TLS when configured.
    private func serverBuilder(_ environment: GatewayEnvironment, tlsContext: NIOSSLContext?) throws -> HTTPServerBuilder {
        let webSocket = HTTPServerBuilder.signaling(admission: GatewayRouter.signalingAdmission(environment))
        guard let tls = config.http.tls else { return webSocket }
        return try .tls(webSocket, tlsConfiguration: Self.tlsConfiguration(tls))
    }

    /// The server TLS configuration of the `http.tls` certificate and key.
    static func tlsConfiguration(_ files: PeerGateConfig.TLSFiles) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: files.keyFile, format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
    }

    static func tlsContext(_ files: PeerGateConfig.TLSFiles) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: tlsConfiguration(files))
    }
}

/// Runs the signaling service's once-a-second tick until graceful shutdown.
struct SignalingTicker: Service {
    let service: SignalingService

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await service.runTicks()
        }
    }
}
