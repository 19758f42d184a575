import ArgumentParser
import ChannelPeers
import Foundation
import ICE
import KVSAPI
import KVSClient
import NetworkAddress
import SDP
import Signaling
import WebRTC

/// `peergate join`: joins a signaling channel as a viewer through a peergate (or KVS-
/// compatible) endpoint, negotiates with the master and writes what it receives.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a channel as a viewer and write the master's media to files, or as the master and send a file.",
        discussion: """
            As viewer (default): offers to the channel's master (video and audio, receive only) with TURN credentials \
            from get-ice-server-config, and writes <output>/<channel>.h264 (or .ivf for VP8) and <channel>.ogg (Opus). \
            As master: answers every viewer's offer and sends --source (MP4, MKV or another container with H.264 or \
            H.265 and Opus, PCMU or PCMA; or a raw .h264/.h265 file timed at --fps), looped, paced by its timestamps. \
            Stops after --duration seconds (or when interrupted) and prints a JSON summary.
            """)

    enum Role: String, ExpressibleByArgument {
        case viewer
        case master
    }

    /// The video codec a viewer offers first.
    enum VideoCodec: String, ExpressibleByArgument {
        case h264
        case h265
        case vp8

        var sdpCodecs: [SDPCodec] {
            switch self {
            case .h264: [.h264ConstrainedBaseline, .h264High]
            case .h265: [.h265]
            case .vp8: [.vp8]
            }
        }
    }

    @Option(help: "Signaling channel name.") var channel: String
    @Option(help: "viewer (receive and write files) or master (send --source).") var role = Role.viewer
    @Option(help: "As master: the media file to send (MP4, MKV, … with H.264/H.265 and Opus/PCMU/PCMA, or raw .h264/.h265).") var source: String?
    @Option(help: "As master: frames per second of a raw .h264/.h265 --source without timing information.") var fps = 30
    @Option(help: "As viewer: the video codec to offer first (h264, h265 or vp8); the others follow.") var videoCodec = VideoCodec.h264
    @Option(help: "Viewer client id (default: a random one).") var clientId = "peergate-\(UInt32.random(in: 1...UInt32.max))"
    @Option(help: "Directory for the received media.") var output = "."
    @Option(help: "Seconds to stay connected (0: until interrupted).") var duration = 0.0
    @Flag(help: "Use relayed (TURN) candidates only.") var relayOnly = false
    @Option(help: "Drop this fraction (0…0.5) of received media datagrams on purpose, to watch NACK recovery work.") var simulateLoss = 0.0
    @Option(help: "Local address for host candidates (127.0.0.1 by default; a LAN or public address to reach peers elsewhere).") var bind = "127.0.0.1"
    @OptionGroup var client: ClientOptions

    func validate() throws {
        if role == .master && source == nil { throw ValidationError("--role master needs --source FILE") }
        guard IPAddress(bind) != nil else { throw ValidationError("--bind must be an IP address") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be 1…120") }
        guard (0...0.5).contains(simulateLoss) else { throw ValidationError("--simulate-loss must be 0…0.5") }
        if role == .master && simulateLoss > 0 { throw ValidationError("--simulate-loss drops received media: a master (send-only) receives none") }
    }

    func run() async throws {
        let endpoint = try client.resolve()
        var media: JoinMasterSource?
        if let source {
            do { media = try JoinMasterSource(path: source, fps: fps) } catch { throw RuntimeFailure(message: "\(source): \(error)") }
        }
        let limit: Duration? = duration > 0 ? .milliseconds(Int(duration * 1000)) : nil
        if role == .master, let media {
            // A master serves viewers for as long as it runs: its TURN credentials are renewed
            // before they expire (each new viewer's PeerConnection gets current ones).
            let connector = ChannelConnector(endpoint: endpoint, channel: channel, role: .master, bind: IPAddress(bind)!, relayOnly: relayOnly)
            let (signaling, transportSource) = try await connector.connectRenewing()
            let master = await ChannelMaster(transportSource: transportSource)
            print(try await JoinMasterSession(source: media, master: master).run(signaling: signaling, duration: limit))
            return
        }
        let connector = ChannelConnector(endpoint: endpoint, channel: channel, role: .viewer(clientId: clientId), bind: IPAddress(bind)!, relayOnly: relayOnly)
        var (signaling, configuration) = try await connector.connect()
        configuration.simulatedMediaLoss = simulateLoss
        let session = JoinSession(channel: channel, outputDirectory: output, transportConfiguration: configuration, preferredVideo: videoCodec.sdpCodecs)
        let summary = try await session.run(signaling: signaling, duration: limit)
        print(summary)
    }
}
