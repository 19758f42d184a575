import ChannelPeers
import Logging

/// Keeps a source republished on a channel: connects as the channel's master
/// (``ChannelConnector``), serves viewers with a ``ChannelPublisher`` until the signaling
/// session ends, and connects again after a backoff (``SessionRetry``). The source stays
/// with the publisher across reconnects.
public struct ChannelPublisherLoop: Sendable {
    public var connector: ChannelConnector
    public let publisher: ChannelPublisher
    let logger: Logger

    public init(connector: ChannelConnector, publisher: ChannelPublisher, logger: Logger) {
        self.connector = connector
        self.publisher = publisher
        self.logger = logger
    }

    /// Republishes until `deadline` or cancellation; closes the source at the end.
    public func run(until deadline: ContinuousClock.Instant?) async {
        await publisher.start()
        let channel = connector.channel
        await SessionRetry.run(until: deadline) {
            do {
                let (signaling, transport) = try await connector.connectRenewing()
                try await ChannelMaster(transportSource: transport).run(signaling: signaling, until: deadline, handler: publisher)
                logger.notice("republishing \(channel): signaling session ended; connecting again")
            } catch {
                logger.error("republishing \(channel): cannot connect as master: \(error)")
            }
            return .again
        }
        await publisher.stop()
    }
}
