import ChannelPeers
import Logging
import Signaling

/// Keeps a source republished on a channel: connects as the channel's master
/// (``ChannelConnector``), serves viewers with a ``ChannelPublisher`` until the signaling
/// session ends, and connects again after a backoff (0.5 s growing to 10 s, reset after a
/// session that lasted). The source stays with the publisher across reconnects.
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
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        let backoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(10))
        let channel = connector.channel
        while !Task.isCancelled, deadline.map({ ContinuousClock.now < $0 }) ?? true {
            let started = ContinuousClock.now
            do {
                let (signaling, transport) = try await connector.connect()
                try await ChannelMaster(transportConfiguration: transport).run(signaling: signaling, until: deadline, handler: publisher)
                logger.notice("republishing \(channel): signaling session ended; connecting again")
            } catch {
                logger.error("republishing \(channel): cannot connect as master: \(error)")
            }
            if ContinuousClock.now - started > .seconds(30) { attempt = 0 }
            let delay = backoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            if let deadline, ContinuousClock.now + delay >= deadline { break }
            try? await Task.sleep(for: delay)
        }
        await publisher.stop()
    }
}
