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
    /// Called (on the loop) every tick of the media receiver, to reach the driver through its box.
    var onReceiverTick: (@Sendable () -> Void)?
    /// Takes decrypted media instead of `events` once attached (``attach(_:tickInterval:)``).
    var mediaReceiver: (any TransportMediaReceiver)?
    var receiverTicks: RepeatedTask?

    init(core: WebRTCTransportCore, eventLoop: any EventLoop, continuation: AsyncStream<WebRTCTransportEvent>.Continuation) {
        self.core = core
        self.eventLoop = eventLoop
        self.continuation = continuation
    }

    /// Sends what the core asked for, publishes its events and re-arms the timer.
    /// - Parameter mediaOnly: only SRTP/SRTCP datagrams were read or sent since the last
    ///   flush. They move no ICE or DTLS deadline earlier, so an armed timer stays without
    ///   asking the core for its next deadline (most of the cost of a flush per media
    ///   datagram) — unless the flush sends something other than media (RFC 7983: first
    ///   byte 128–191) or publishes an event other than media.
    func flush(mediaOnly: Bool = false) {
        var touched: [TransportAddress: any Channel] = [:]
        var quiet = mediaOnly
        core.drainTransmissions { transmission in
            if !(128...191).contains(transmission.bytes.first ?? 0) { quiet = false }
            guard let channel = channels[transmission.base] else { return }
            let envelope = AddressedEnvelope(remoteAddress: SocketAddress(transmission.destination), data: ByteBuffer(bytes: transmission.bytes))
            channel.write(envelope, promise: nil)
            touched[transmission.base] = channel
        }
        for channel in touched.values { channel.flush() }
        let now = ContinuousClock.now
        core.drainEvents { event in
            guard let event = route(event, now: now) else { return }
            if case .rtcp = event {} else { quiet = false }
            let closes = event == .closed
            continuation.yield(event)
            if closes { continuation.finish() }
        }
        if quiet && timer != nil { return }
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
        receiverTicks?.cancel()
        (receiverTicks, mediaReceiver) = (nil, nil)
        for channel in channels.values { channel.close(promise: nil) }
        channels.removeAll()
    }
}

/// Hands every datagram of one socket to the driver.
final class WebRTCDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let driver: NIOLoopBoundBox<WebRTCTransportDriver?>
    private let base: TransportAddress
    /// Whether every datagram of the current read batch was SRTP or SRTCP.
    private var mediaOnly = true

    init(driver: NIOLoopBoundBox<WebRTCTransportDriver?>, base: TransportAddress) {
        self.driver = driver
        self.base = base
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let driver = driver.value, let source = envelope.remoteAddress.transportAddress else { return }
        if mediaOnly, let first = envelope.data.readableBytesView.first, !(128...191).contains(first) { mediaOnly = false }
        driver.core.receive(Array(envelope.data.readableBytesView), from: source, at: base, now: .now)
    }

    /// After a batch of reads: one flush (sends, events, timer) for all of them.
    func channelReadComplete(context: ChannelHandlerContext) {
        driver.value?.flush(mediaOnly: mediaOnly)
        mediaOnly = true
    }
}
