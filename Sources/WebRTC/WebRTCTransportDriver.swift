import NIOCore
import NetworkAddress
import NetworkAddressNIO
import UDPSockets

/// The event-loop side of a ``WebRTCTransport``: the sans-I/O core, its sockets and its
/// timer. Lives in a `NIOLoopBoundBox`, so only its event loop touches it.
final class WebRTCTransportDriver {
    let core: WebRTCTransportCore
    let eventLoop: any EventLoop
    var channels: [TransportAddress: any Channel] = [:]
    /// Each socket's own sender (a duplicate descriptor); datagrams go through the channel
    /// where there is none.
    var senders: [TransportAddress: UDPDatagramSender] = [:]
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
    /// The loop's ticker this transport's media receiver is ticked by, once media arrived.
    var receiverTicker: LoopReceiverTicker?
    /// How often the media receiver is ticked once media arrives.
    var receiverTickInterval: Duration?
    /// Groups a frame's datagrams into segmented writes (see ``DatagramCoalescer``).
    var coalescer: DatagramCoalescer
    /// Whether the sockets are polled once media flows (``startPolling()``).
    let pollsSockets: Bool
    /// The buffers this loop's transports share.
    let scratch: LoopScratch
    /// The polled sockets (each read through its sender's descriptor), once polling started.
    var polledSockets: [(base: TransportAddress, socket: UDPDatagramSender)] = []

    init(
        core: WebRTCTransportCore, eventLoop: any EventLoop, continuation: AsyncStream<WebRTCTransportEvent>.Continuation, udpSegmentation: Bool,
        pollsSockets: Bool
    ) {
        self.core = core
        self.pollsSockets = pollsSockets
        scratch = LoopScratch.on(eventLoop)
        coalescer = DatagramCoalescer(enabled: udpSegmentation && System.supportsUDPSegmentationOffload)
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
        var refused = false
        core.drainTransmissions { transmission in
            if !PacketClass.mediaFirstBytes.contains(transmission.bytes.first ?? 0) { quiet = false }
            coalescer.add(transmission) { write($0, touched: &touched, refused: &refused) }
        }
        coalescer.finish { write($0, touched: &touched, refused: &refused) }
        // A refused segmented write turns segmentation off for this transport.
        if refused { coalescer.enabled = false }
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

    /// Writes one datagram, or several as one segmented write, on the socket's own sender;
    /// what it cannot take goes through the channel datagram by datagram (a full send
    /// buffer: the channel queues; an error: the channel handles it). `refused` is set when
    /// the kernel refuses a segmented write.
    private func write(_ write: DatagramCoalescer.Write, touched: inout [TransportAddress: any Channel], refused: inout Bool) {
        guard let channel = channels[write.base] else { return }
        if let sender = senders[write.base] {
            switch sender.send(write.datagrams, to: write.destination) {
            case .sent:
                if write.datagrams.count > 1 { core.stats.segmentedWrites += 1 }
                return
            case .segmentationRefused:
                refused = true
                core.stats.segmentedWritesRefused += 1
            case .wouldBlock, .failed: break
            }
        }
        let address = SocketAddress(write.destination)
        for datagram in write.datagrams {
            channel.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: datagram)), promise: nil)
        }
        touched[write.base] = channel
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
        stopReceiverTicks()
        mediaReceiver = nil
        for channel in channels.values { channel.close(promise: nil) }
        channels.removeAll()
        polledSockets.removeAll()
        senders.removeAll()
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
        if mediaOnly, let first = envelope.data.readableBytesView.first, !PacketClass.mediaFirstBytes.contains(first) { mediaOnly = false }
        driver.core.receive(Array(envelope.data.readableBytesView), from: source, at: base, now: .now)
    }

    /// After a batch of reads: one flush (sends, events, timer) for all of them.
    func channelReadComplete(context: ChannelHandlerContext) {
        driver.value?.flush(mediaOnly: mediaOnly)
        mediaOnly = true
    }
}
