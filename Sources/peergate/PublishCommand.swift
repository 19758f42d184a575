import ArgumentParser
import ChannelPeers
import Foundation
import Logging
import NetworkAddress
import Republishing

/// `peergate publish`: republishes an RTSP camera or a media file as a channel's master,
/// without transcoding, to every viewer that joins — a real signaling client of any
/// peergate (or KVS-compatible) endpoint.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Republish an RTSP camera or a media file as a channel's master.",
        discussion: """
            The source is read once (libavformat, no transcoding: H.264, H.265 or VP8 video; Opus, PCMU or PCMA audio; AAC and other audio re-encoded to Opus unless --no-transcode-audio) \
            and sent to each viewer over its own PeerConnection. A new viewer starts at the last keyframe (a GOP cache), \
            so video shows at once; keyframe requests are answered from that cache. Files play in real time, looped with \
            --loop; a live source that fails is opened again with backoff while viewers stay connected. Runs until \
            --duration or SIGINT/SIGTERM, then prints a JSON summary.
            """)

    enum Transport: String, ExpressibleByArgument, CaseIterable { case tcp, udp }

    @Option(help: "Signaling channel name.") var channel: String
    @Option(help: "rtsp://… URL or a media file (MP4, MKV, MPEG-TS).") var source: String
    @Flag(help: "Play a file again from the start at its end.") var loop = false
    @Option(help: "RTSP lower transport.") var rtspTransport = Transport.tcp
    @Flag(help: "Open the source with the first viewer, close it --close-after seconds after the last.") var onDemand = false
    @Option(help: "With --on-demand, seconds to keep the source open without viewers.") var closeAfter = 10.0
    @Option(help: "Answer a viewer's keyframe request from the cache at most once per this many seconds (0: never).") var keyframeResend = 1.0
    @Flag(inversion: .prefixedNo, help: "Re-encode audio WebRTC cannot carry (AAC…) to Opus; without, such audio is left out.") var transcodeAudio = true
    @Option(help: "Seconds to publish (0: until interrupted).") var duration = 0.0
    @Option(help: "Seconds to wait for the source to open or send a packet.") var sourceTimeout = 10.0
    @Flag(help: "Use relayed (TURN) candidates only.") var relayOnly = false
    @Option(help: "Reach the channel's TURN server at this IP:PORT instead of the address it advertises (a port forward or proxy in between).")
    var turnAddress: String?
    @Option(help: "Local address for host candidates.") var bind = "127.0.0.1"
    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard IPAddress(bind) != nil else { throw ValidationError("--bind must be an IP address") }
        if let turnAddress, TransportAddress(turnAddress) == nil { throw ValidationError("--turn-address must be IP:PORT ([IPv6]:PORT)") }
        guard !source.isEmpty else { throw ValidationError("--source must be an rtsp:// URL or a file") }
        guard (0...3600).contains(closeAfter), sourceTimeout > 0 else { throw ValidationError("--close-after must be 0…3600 and --source-timeout above 0") }
        guard (0...3600).contains(keyframeResend) else { throw ValidationError("--keyframe-resend must be 0…3600 seconds") }
    }

    func run() async throws {
        let endpoint = try client.resolve()
        let logger = Logger(label: "peergate.publish")
        let timeout = Duration.milliseconds(Int(sourceTimeout * 1000))
        let sourceConfiguration = SourcePump.Configuration(
            source: source, loop: loop, rtspTransport: rtspTransport.rawValue, openTimeout: timeout, readTimeout: timeout, transcodeAudio: transcodeAudio)
        if !sourceConfiguration.isLive, !FileManager.default.fileExists(atPath: source) { throw RuntimeFailure(message: "no such file: \(source)") }
        let publisher = ChannelPublisher(
            configuration: .init(
                channel: channel, source: sourceConfiguration, onDemand: onDemand, closeAfter: .milliseconds(Int(closeAfter * 1000)),
                keyframeResendInterval: keyframeResend > 0 ? .milliseconds(Int(keyframeResend * 1000)) : nil), logger: logger)
        let loop = ChannelPublisherLoop(
            connector: ChannelConnector(endpoint: endpoint, channel: channel, role: .master, bind: IPAddress(bind)!, relayOnly: relayOnly, turnAddress: turnAddress.flatMap(TransportAddress.init)), publisher: publisher,
            logger: logger)
        let deadline = duration > 0 ? ContinuousClock.now + .milliseconds(Int(duration * 1000)) : nil
        let work = Task { await loop.run(until: deadline) }
        let stop = StopSignals { work.cancel() }
        defer { stop.cancel() }
        await work.value
        let republisher = publisher.republisher
        let json: [String: any Sendable] = [
            "channel": channel, "viewers": await publisher.viewers, "sourceOpens": republisher.sourceOpens,
            "framesSent": republisher.framesSentTotal.mapValues(\.video), "audioFramesSent": republisher.framesSentTotal.mapValues(\.audio),
            "framesResent": republisher.framesSentTotal.mapValues(\.videoResent),
        ]
        print(String(decoding: (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data(), as: UTF8.self))
    }
}
