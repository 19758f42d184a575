import Logging
import NIOSSL
import NetworkAddress
import PeerGateConfig
import TURN
import TURNServer

/// The TURN server of `serve`, configured from the `turn` section, the generated or
/// configured TURN secret and the `http.tls` certificate (for `turns:`).
enum TURNSetup {
    static func makeServer(
        _ environment: GatewayEnvironment, tlsContext: NIOSSLContext?, bound: @escaping @Sendable (String, Int) -> Void
    ) throws -> TURNServer {
        let turn = environment.config.turn
        guard let relayAddress = IPAddress(turn.relayAddress) else {
            throw ConfigurationError.problem("turn.relayAddress", "is not an IP address")
        }
        var configuration = TURNServerConfiguration(relayAddress: relayAddress, relayPorts: UInt16(turn.relayPorts.lowerBound)...UInt16(turn.relayPorts.upperBound))
        configuration.realm = turn.realm
        configuration.maxAllocationsPerUser = turn.maxAllocationsPerUser
        configuration.maxBytesPerSecondPerUser = turn.maxKbpsPerUser * 125
        configuration.peerPolicy = PeerPolicy(allowLoopback: turn.allowLoopbackPeers, allowed: turn.allowedPeers.compactMap { IPNetwork($0) })
        let credentials = TURNCredentialStore(
            rest: TURNRESTCredentials(secret: environment.credentials.turnSecret),
            staticUsers: Dictionary(turn.users.map { ($0.username, $0.password.value) }) { first, _ in first })
        let core = TURNServerCore(configuration: configuration, credentials: credentials)
        let listeners = TURNServer.Listeners(host: turn.host, port: turn.port, tls: tlsContext.map { (turn.tlsPort, $0) })
        return TURNServer(listeners: listeners, core: core, logger: environment.logger, bound: bound)
    }
}
