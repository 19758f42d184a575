import Logging
import PeerGateConfig
import Storage

/// What the HTTP routes and services of one `serve` process share.
public struct GatewayEnvironment: Sendable {
    public let config: PeerGateConfig
    public let database: PeerGateDatabase
    public let readiness: Readiness
    public let logger: Logger

    public init(config: PeerGateConfig, database: PeerGateDatabase, readiness: Readiness = Readiness(), logger: Logger) {
        self.config = config
        self.database = database
        self.readiness = readiness
        self.logger = logger
    }
}
