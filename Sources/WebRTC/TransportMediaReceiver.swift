/// Takes a transport's decrypted media on its event loop, as each batch of datagrams is
/// read, instead of as `.rtp` / `.rtcp` events on ``WebRTCTransport/events``: a task hop
/// per packet cost more than the packet. RTCP too: the receiver hands it on to the send
/// side (NACKs, keyframe requests) on the loop. Only the transport's event loop calls it.
protocol TransportMediaReceiver: AnyObject {
    /// A decrypted RTP packet; the receiver owns its buffer.
    func receiveRTP(_ bytes: consuming [UInt8], now: ContinuousClock.Instant)
    /// A decrypted compound RTCP packet.
    func receiveRTCP(_ bytes: [UInt8], now: ContinuousClock.Instant)
    /// Called every tick interval: reorder timeouts, NACKs, PLIs. Returns a compound RTCP
    /// packet to send, if any.
    func tick(now: ContinuousClock.Instant) -> [UInt8]?
}

extension WebRTCTransportDriver {
    /// From now on decrypted media goes to `receiver`, ticked every `tickInterval` (by its
    /// loop's ``LoopReceiverTicker``) from its first RTP packet on: a connection that only
    /// sends (a fan-out viewer's) has nothing to reorder or ask for, and hundreds of idle
    /// 20-ms timers cost a loop more than its sends.
    func attach(_ receiver: any TransportMediaReceiver, tickInterval: Duration) {
        mediaReceiver = receiver
        stopReceiverTicks()
        receiverTickInterval = tickInterval
        // Polled sockets are read by the ticks only: they must go on.
        if !polledSockets.isEmpty { startReceiverTicks() }
    }

    /// Starts the receiver's ticks unless they run.
    private func startReceiverTicks() {
        guard receiverTicker == nil, let onReceiverTick, let tickInterval = receiverTickInterval else { return }
        let ticker = LoopReceiverTicker.on(eventLoop, interval: tickInterval)
        ticker.add(self, tick: onReceiverTick)
        receiverTicker = ticker
        startPolling()
    }

    func stopReceiverTicks() {
        receiverTicker?.remove(ObjectIdentifier(self))
        receiverTicker = nil
    }

    /// One tick of the media receiver, after reading the polled sockets; its feedback goes
    /// out at once.
    func receiverTick() {
        poll()
        let now = ContinuousClock.now
        guard let feedback = mediaReceiver?.tick(now: now) else { return }
        core.sendRTCP(feedback, now: now)
        flush()
    }

    /// Hands an event to the media receiver when one is attached and it is media; returns
    /// the event when it is still to be published on `events`.
    func route(_ event: consuming WebRTCTransportEvent, now: ContinuousClock.Instant) -> WebRTCTransportEvent? {
        guard let mediaReceiver else { return event }
        switch consume event {
        case .rtp(let bytes):
            if receiverTicker == nil { startReceiverTicks() }
            mediaReceiver.receiveRTP(bytes, now: now)
            return nil
        case .rtcp(let bytes):
            mediaReceiver.receiveRTCP(bytes, now: now)
            return nil
        case let other:
            return other
        }
    }
}
