import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PeerGateConfig
import ServiceLifecycle
import Storage

/// `peergate serve`: opens and migrates the database, starts every listener, writes
/// `ports.json`, and runs until SIGINT/SIGTERM, then shuts down gracefully
/// (swift-service-lifecycle).
public struct GatewayServer: Sendable {
    public let config: PeerGateConfig
    public let logger: Logger

    public init(config: PeerGateConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let database = try PeerGateDatabase.open(dataDir: config.storage.dataDir, migrations: Migration.bundled())
        for identifier in database.appliedNow {
            logger.notice("applied migration", metadata: ["migration": "\(identifier)"])
        }
        let ports = ListenerPorts(dataDir: config.storage.dataDir)
        ports.removeFile()
        defer { ports.removeFile() }
        let environment = GatewayEnvironment(config: config, database: database, logger: logger)
        environment.readiness.expect("http")
        let application = try makeApplication(environment, ports: ports)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("stopped")
    }

    private func makeApplication(_ environment: GatewayEnvironment, ports: ListenerPorts) throws -> some ApplicationProtocol {
        let http = config.http
        let scheme = http.tls == nil ? "http" : "https"
        let logger = self.logger
        return Application(
            router: GatewayRouter.make(environment),
            server: try serverBuilder(),
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "peergate/\(PeerGateVersion.current)"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? http.port
                do {
                    try ports.record("http", port: port)
                } catch {
                    logger.error("cannot write ports.json", metadata: ["path": "\(ports.filePath)", "error": "\(error)"])
                }
                environment.readiness.markReady("http")
                logger.notice(
                    "listening", metadata: ["listener": "http", "url": "\(scheme)://\(Self.urlHost(http.host)):\(port)"])
            },
            logger: logger)
    }

    private func serverBuilder() throws -> HTTPServerBuilder {
        guard let tls = config.http.tls else { return .http1() }
        let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        return try .tls(.http1(), tlsConfiguration: configuration)
    }

    /// An IPv6 literal in brackets, as URLs write it.
    static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
