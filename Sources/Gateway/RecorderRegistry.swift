import ChannelPeers
import Foundation
import Locking
import Logging
import Media
import PeerGateConfig
import Recording
import RecordingsAPI

/// The channels `serve` records right now: those of `recorders:` in the configuration and
/// those started through the API (`PUT /v1/channels/{name}/recorder`), one recorder per
/// channel, each a ``ChannelRecorderLoop`` task (a real signaling client of this server)
/// until it is stopped or the server shuts down. API-started recorders last until the
/// server stops; the configuration keeps a channel recorded across restarts.
public final class RecorderRegistry: Sendable {
    public struct Entry: Sendable, Equatable {
        public var channel: String
        public var role: PeerGateConfig.PeerRole
        public var since: Int64
        /// `config` or `api`.
        public var origin: String
    }

    private struct Running {
        var entry: Entry
        var task: Task<Void, Never>
    }

    private let running = LockedState<[String: Running]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// What is being recorded, by channel name.
    public func list() -> [Entry] {
        running.withLock { $0.values.map(\.entry) }.sorted { $0.channel < $1.channel }
    }

    public func isRecording(_ channel: String) -> Bool { running.withLock { $0[channel] != nil } }

    /// Starts recording `channel`; refused when it is already recorded.
    public func start(channel: String, role: PeerGateConfig.PeerRole, origin: String, environment: GatewayEnvironment) throws(RecordingsAPIError) {
        let entry = Entry(channel: channel, role: role, since: nowMicros(), origin: origin)
        let started: Bool = running.withLock { table in
            guard table[channel] == nil else { return false }
            let task = Task { await Self.record(channel: channel, role: role, environment: environment) }
            table[channel] = Running(entry: entry, task: task)
            return true
        }
        guard started else { throw .conflict("\(channel) is already being recorded") }
        logger.notice("recording channel \(channel) as \(role.rawValue)", metadata: ["origin": "\(origin)"])
    }

    /// Stops recording `channel` and waits for its recorder to close its segment; false
    /// when it was not recorded.
    public func stop(channel: String) async -> Bool {
        guard let task = running.withLock({ $0.removeValue(forKey: channel)?.task }) else { return false }
        task.cancel()
        await task.value
        logger.notice("stopped recording channel \(channel)")
        return true
    }

    /// Stops every recorder (shutdown).
    public func stopAll() async {
        for entry in list() { _ = await stop(channel: entry.channel) }
    }

    private static func record(channel: String, role: PeerGateConfig.PeerRole, environment: GatewayEnvironment) async {
        guard let (endpoint, host) = try? await GatewayWorkerEndpoint.wait(for: environment) else { return }
        let config = environment.config
        let master = role == .master
        let connector = ChannelConnector(
            endpoint: endpoint, channel: channel, role: master ? .master : .viewer(clientId: "peergate-recorder-\(UInt32.random(in: 1...UInt32.max))"), bind: host)
        let recording = ChannelRecorder.Configuration(
            channel: channel, role: master ? .master : .viewer, segmentSeconds: config.recording.segmentSeconds,
            sync: SegmentSyncPolicy(rawValue: config.recording.fsync.rawValue) ?? .fragment, paths: environment.segmentPaths)
        let loop = ChannelRecorderLoop(connector: connector, recording: recording, index: environment.recordings, logger: environment.logger)
        _ = await loop.run(until: nil)
    }
}
