import ControlPlane
import KVSAPI
import Foundation
import Logging
import PeerGateConfig
import Recording
import SigV4
import Signaling
import Storage
import TURN

/// What the HTTP routes and services of one `serve` process share.
public struct GatewayEnvironment: Sendable {
    public let config: PeerGateConfig
    public let database: PeerGateDatabase
    public let readiness: Readiness
    public let logger: Logger
    public let credentials: ServerCredentials
    public let verifier: SigV4Verifier
    public let endpoints: AdvertisedEndpoints
    public let channels: ChannelStore
    public let controlPlane: ControlPlane
    public let signaling: SignalingService
    public let iceServers: IceServerConfig
    /// The recordings index and where segment files live.
    public let recordings: RecordingIndex
    public let segmentPaths: SegmentPaths
    /// Web console logins.
    public let sessions: ConsoleSessions
    /// The channels being recorded.
    public let recorders: RecorderRegistry

    public init(config: PeerGateConfig, database: PeerGateDatabase, readiness: Readiness = Readiness(), logger: Logger) throws {
        // Metrics created below must find the Prometheus factory already bootstrapped.
        _ = ProcessMetrics.registry
        self.config = config
        self.database = database
        self.readiness = readiness
        self.logger = logger
        credentials = try ServerCredentials(config: config, database: database, logger: logger)
        verifier = credentials.verifier(region: config.auth.region)
        let keys = Dictionary(credentials.accessKeys.map { ($0.accessKeyId, $0.secretAccessKey) }) { first, _ in first }
        sessions = ConsoleSessions(
            key: try ServerSecrets(database: database).value("console_session_key") { ServerSecrets.random(length: 48) },
            lifetimeSeconds: config.auth.sessionHours * 3600) { keys[$0] }
        let endpoints = AdvertisedEndpoints(config: config)
        self.endpoints = endpoints
        channels = ChannelStore(database: database)
        recordings = RecordingIndex(database: database)
        recorders = RecorderRegistry(logger: logger)
        segmentPaths = SegmentPaths(dataDirectory: config.storage.dataDir)
        var limits = SignalingLimits()
        limits.maxViewers = config.signaling.maxViewers
        limits.sdpPerSecond = Double(config.signaling.sdpPerSecond)
        limits.candidatesPerSecond = Double(config.signaling.candidatesPerSecond)
        limits.idleTimeout = Double(config.signaling.idleTimeoutSeconds)
        limits.maxConnectionDuration = Double(config.signaling.maxConnectionSeconds)
        let signaling = SignalingService(limits: limits)
        self.signaling = signaling
        controlPlane = ControlPlane(
            store: channels, region: config.auth.region, accountId: config.auth.accountId,
            endpoints: { (endpoints.httpsURL, endpoints.wssURL) },
            channelDeleted: { signaling.closeChannel($0.arn) })
        iceServers = IceServerConfig(
            store: channels, credentials: TURNRESTCredentials(secret: credentials.turnSecret), ttl: config.turn.credentialTTLSeconds
        ) { .init(host: endpoints.turnHost, port: endpoints.turnPort, tlsPort: endpoints.turnTLSPort) }
    }

    /// Creates the channel if it does not exist yet (`serve --create-channel`).
    public func ensureChannel(_ name: String) throws(KVSError) {
        guard try channels.channel(named: name) == nil else { return }
        _ = try controlPlane.create(ChannelAPI.CreateInput(ChannelName: name))
        logger.notice("created channel", metadata: ["channel": "\(name)"])
    }
}
