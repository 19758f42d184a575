import NIOCore
import NetworkAddress
import NetworkAddressNIO

/// The event-loop side of a ``WebRTCTransport``: the sans-I/O core, its sockets and its
/// timer. Lives in a `NIOLoopBoundBox`, so only its event loop touches it.
final class WebRTCTransportDriver {
    let core: WebRTCTransportCore
    let eventLoop: any EventLoop
    var channels: [TransportAddress: any Channel] = [:]
    private var timer: Scheduled<Void>?
    /// When the scheduled timer fires.
    private var timerDeadline: ContinuousClock.Instant?
    private let continuation: AsyncStream<WebRTCTransportEvent>.Continuation
    /// Called (on the loop) when the timer fires, to reach the driver through its box.
    var onTimer: (@Sendable () -> Void)?

    init(core: WebRTCTransportCore, eventLoop: any EventLoop, continuation: AsyncStream<WebRTCTransportEvent>.Continuation) {
        self.core = core
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Sends what the core asked for, publishes its events and re-arms the timer.
    func flush() {
        var touched: [TransportAddress: any Channel] = [:]
        core.drainTransmissions { transmission in
            guard let channel = channels[transmission.base] else { return }
            let envelope = AddressedEnvelope(remoteAddress: SocketAddress(transmission.destination), data: ByteBuffer(bytes: transmission.bytes))
            channel.write(envelope, promise: nil)
            touched[transmission.base] = channel
        }
        for channel in touched.values { channel.flush() }
        core.drainEvents { event in
            let closes = event == .closed
            continuation.yield(event)
            if closes { continuation.finish() }
        }
        rearm()
    }

    /// Keeps one timer for the core's next deadline. A timer already due no later than the
    /// deadline stays (firing early only ticks the core, which re-arms); rescheduling for every
    /// datagram cost more than the media it carried.
    private func rearm() {
        guard let deadline = core.nextDeadline, let onTimer else {
            timer?.cancel()
            (timer, timerDeadline) = (nil, nil)
            return
        }
        if timer != nil, let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        // At least a millisecond: a deadline that stays due must not starve socket reads.
        let delay = max(.milliseconds(1), deadline - .now)
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        timerDeadline = .now + delay
        timer = eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { onTimer() }
    }

    func fired() {
        (timer, timerDeadline) = (nil, nil)
        core.tick(now: .now)
        flush()
    }

    func closeSockets() {
        timer?.cancel()
        for channel in channels.values { channel.close(promise: nil) }
        channels.removeAll()
    }
}

/// Hands every datagram of one socket to the driver.
final class WebRTCDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let driver: NIOLoopBoundBox<WebRTCTransportDriver?>
    private let base: TransportAddress

    init(driver: NIOLoopBoundBox<WebRTCTransportDriver?>, base: TransportAddress) {
        self.driver = driver
        self.base = base
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let driver = driver.value, let source = envelope.remoteAddress.transportAddress else { return }
        driver.core.receive(Array(envelope.data.readableBytesView), from: source, at: base, now: .now)
    }

    /// After a batch of reads: one flush (sends, events, timer) for all of them.
    func channelReadComplete(context: ChannelHandlerContext) {
        driver.value?.flush()
    }
}
