import ChannelPeers
import Foundation
import KVSClient
import Media
import Logging
import NetworkAddress
import PeerGateConfig
import Recording
import ServiceLifecycle

/// `serve`'s recorders (`recorders:` in the config): each a real signaling client of this
/// server, recording its channel as viewer (joining again whenever the session ends) or as
/// master (a recording per viewer).
struct RecorderService: Service {
    let environment: GatewayEnvironment
    let recorder: PeerGateConfig.Recorder
    let index: RecordingIndex

    func run() async throws {
        let logger = environment.logger
        guard let (endpoint, host) = try await GatewayWorkerEndpoint.wait(for: environment) else { return }
        let config = environment.config
        let master = recorder.role == .master
        let connector = ChannelConnector(
            endpoint: endpoint, channel: recorder.channel, role: master ? .master : .viewer(clientId: "peergate-recorder-\(UInt32.random(in: 1...UInt32.max))"),
            bind: host)
        let recording = ChannelRecorder.Configuration(
            channel: recorder.channel, role: master ? .master : .viewer, segmentSeconds: config.recording.segmentSeconds,
            sync: SegmentSyncPolicy(rawValue: config.recording.fsync.rawValue) ?? .fragment, paths: SegmentPaths(dataDirectory: config.storage.dataDir))
        logger.notice("recording channel \(recorder.channel) as \(recorder.role.rawValue)")
        let loop = ChannelRecorderLoop(connector: connector, recording: recording, index: index, logger: logger)
        await cancelWhenGracefulShutdown {
            _ = await loop.run(until: nil)
        }
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
