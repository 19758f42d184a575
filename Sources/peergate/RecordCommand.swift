import ArgumentParser
import ChannelPeers
import Foundation
import Logging
import Media
import NetworkAddress
import Recording
import Storage

/// `peergate record`: records a channel into fragmented-MP4 segments indexed in the data
/// directory's database, as a real signaling client of any peergate (or KVS-compatible)
/// endpoint, joining again with backoff whenever the session ends.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a channel into fragmented-MP4 segments indexed in SQLite.",
        discussion: """
            As viewer (default) records what the master sends; as master, answers every viewer's offer and records \
            what each viewer sends into a recording of its own. Segments go to \
            <dataDir>/recordings/<channel>/<YYYY>/<MM>/<DD>/<start UTC>.mp4, a new one at the first keyframe after \
            recording.segmentSeconds; rows go to <dataDir>/peergate.sqlite (shared with serve). Start-up reconciles the \
            index with the disk. When the master goes away the recorder joins again (backoff up to 10 s) and starts a \
            new recording. Stops after --duration seconds or on SIGINT/SIGTERM, closing the open segment, and prints a \
            JSON summary.
            """)

    @Option(help: "Signaling channel name.") var channel: String
    @Option(help: "viewer (record what the master sends) or master (record what each viewer sends, a recording per viewer).") var role = JoinCommand.Role.viewer
    @Option(help: "Viewer client id (default: a random one).") var clientId = "peergate-recorder-\(UInt32.random(in: 1...UInt32.max))"
    @Option(help: "Seconds to record (0: until interrupted).") var duration = 0.0
    @Option(help: "Seconds per segment (default: recording.segmentSeconds).") var segmentSeconds: Int?
    @Option(help: "fragment, segment or off (default: recording.fsync).") var fsync: String?
    @Option(help: "The video codec to offer first (h264, h265 or vp8); the others follow.") var videoCodec = JoinCommand.VideoCodec.h264
    @Option(help: "End a session after this many seconds without media, and join again.") var mediaTimeout = 15.0
    @Flag(help: "Use relayed (TURN) candidates only.") var relayOnly = false
    @Option(help: "Reach the channel's TURN server at this IP:PORT instead of the address it advertises (a port forward or proxy in between).")
    var turnAddress: String?
    @Option(help: "Local address for host candidates.") var bind = "127.0.0.1"
    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard IPAddress(bind) != nil else { throw ValidationError("--bind must be an IP address") }
        if let turnAddress, TransportAddress(turnAddress) == nil { throw ValidationError("--turn-address must be IP:PORT ([IPv6]:PORT)") }
        if let fsync, SegmentSyncPolicy(rawValue: fsync) == nil { throw ValidationError("--fsync must be fragment, segment or off") }
        if let segmentSeconds, !(1...3600).contains(segmentSeconds) { throw ValidationError("--segment-seconds must be 1…3600") }
        guard mediaTimeout >= 1 else { throw ValidationError("--media-timeout must be at least 1 second") }
    }

    func run() async throws {
        let settings = try client.config.load()
        let endpoint = try client.resolve()
        let logger = Logger(label: "peergate.record")
        let dataDir = settings.storage.dataDir
        let database: PeerGateDatabase
        do { database = try PeerGateDatabase.open(dataDir: dataDir, migrations: Migration.bundled()) } catch { throw RuntimeFailure(message: "\(error)") }
        let index = RecordingIndex(database: database)
        let paths = SegmentPaths(dataDirectory: dataDir)
        do { _ = try RecordingReconciler(index: index, paths: paths, logger: logger).run() } catch { throw RuntimeFailure(message: "\(error)") }
        let recording = ChannelRecorder.Configuration(
            channel: channel, role: role == .master ? .master : .viewer, segmentSeconds: segmentSeconds ?? settings.recording.segmentSeconds,
            sync: SegmentSyncPolicy(rawValue: fsync ?? settings.recording.fsync.rawValue) ?? .fragment, paths: paths)
        let deadline = duration > 0 ? ContinuousClock.now + .milliseconds(Int(duration * 1000)) : nil
        var loop = ChannelRecorderLoop(
            connector: ChannelConnector(endpoint: endpoint, channel: channel, role: role == .master ? .master : .viewer(clientId: clientId), bind: IPAddress(bind)!, relayOnly: relayOnly, turnAddress: turnAddress.flatMap(TransportAddress.init)),
            recording: recording, mediaTimeout: .milliseconds(Int(mediaTimeout * 1000)), index: index, logger: logger)
        loop.preferredVideo = videoCodec.sdpCodecs
        let work = Task { await loop.run(until: deadline) }
        let stop = StopSignals { work.cancel() }
        defer { stop.cancel() }
        let summary = await work.value
        let json: [String: any Sendable] = [
            "channel": channel, "sessions": summary.sessions, "recordings": summary.recordings.map(Int.init), "segments": summary.segments,
            "framesWritten": summary.framesWritten,
        ]
        print(String(decoding: (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data(), as: UTF8.self))
    }
}

/// Runs `action` once on SIGINT or SIGTERM (instead of the default exit).
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ action: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
