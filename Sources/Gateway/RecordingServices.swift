import ChannelPeers
import Foundation
import KVSClient
import Media
import Logging
import NetworkAddress
import PeerGateConfig
import Recording
import ServiceLifecycle

/// `serve`'s recorders: those of `recorders:` in the configuration start with the
/// server; every recorder (configured or started through the API) stops with it, closing
/// its segment.
struct RecordersService: Service {
    let environment: GatewayEnvironment

    func run() async throws {
        for recorder in environment.config.recorders {
            do {
                try environment.recorders.start(channel: recorder.channel, role: recorder.role, origin: "config", environment: environment)
            } catch {
                environment.logger.error("cannot record \(recorder.channel): \(error.body.message)")
            }
        }
        try? await gracefulShutdown()
        await environment.recorders.stopAll()
    }
}

/// How `serve`'s gateway workers reach the server they run in: its own HTTP(S) URL with
/// its first access key, host candidates on the address it binds.
enum GatewayWorkerEndpoint {
    /// Waits for the HTTP listener (its port may be chosen at start-up); nil without credentials.
    static func wait(for environment: GatewayEnvironment) async throws -> (KVSClient.Endpoint, IPAddress)? {
        while !environment.readiness.snapshot.contains(where: { $0.name == "http" && $0.problem == nil }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let credentials = environment.credentials.accessKeys.first else { return nil }
        let config = environment.config
        let endpoint = KVSClient.Endpoint(
            url: environment.endpoints.httpsURL, region: config.auth.region, credentials: credentials, trustedCertificateFile: config.http.tls?.certificateFile)
        // Host candidates on the address the server binds (loopback for a wildcard bind).
        let host = config.http.host == "0.0.0.0" || config.http.host == "::" ? "127.0.0.1" : config.http.host
        return (endpoint, IPAddress(host) ?? IPAddress("127.0.0.1")!)
    }
}

/// Retention every minute (and once at start-up).
struct RetentionService: Service {
    let retention: RecordingRetention
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try retention.run(now: Int64(Date().timeIntervalSince1970 * 1_000_000))
                } catch {
                    logger.error("recording retention failed: \(error)")
                }
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }
}
