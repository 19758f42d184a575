import ChannelPeers
import PeerGateConfig
import Republishing
import ServiceLifecycle

/// `serve`'s publishers (`publishers:` in the config): each republishes its source as the
/// master of its channel, a real signaling client of this server (``ChannelPublisherLoop``);
/// on demand (default) the source opens with the first viewer and closes
/// `closeAfterSeconds` after the last.
struct PublisherService: Service {
    let environment: GatewayEnvironment
    let publisher: PeerGateConfig.Publisher

    func run() async throws {
        let logger = environment.logger
        guard let (endpoint, host) = try await GatewayWorkerEndpoint.wait(for: environment) else { return }
        let source = SourcePump.Configuration(
            source: publisher.source, loop: publisher.loop, rtspTransport: publisher.rtspTransport.rawValue, transcodeAudio: publisher.transcodeAudio)
        let channelPublisher = ChannelPublisher(
            configuration: .init(channel: publisher.channel, source: source, onDemand: publisher.onDemand, closeAfter: .seconds(publisher.closeAfterSeconds),
                keyframeResendInterval: publisher.keyframeResendSeconds > 0 ? .seconds(publisher.keyframeResendSeconds) : nil),
            logger: logger)
        logger.notice("republishing \(publisher.source) on channel \(publisher.channel)\(publisher.onDemand ? " (on demand)" : "")")
        let loop = ChannelPublisherLoop(connector: ChannelConnector(endpoint: endpoint, channel: publisher.channel, role: .master, bind: host), publisher: channelPublisher, logger: logger)
        await cancelWhenGracefulShutdown {
            await loop.run(until: nil)
        }
    }
}
