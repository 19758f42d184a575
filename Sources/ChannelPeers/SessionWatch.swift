import WebRTC

/// Decides when a viewer session is over: the first of an explicit end (signaling ended,
/// peer gone), the deadline, or a media silence longer than the timeout. Media is the
/// connection's frame count (``ReceiveActivity``), whether frames come as events or go to a
/// frame handler. An explicit end wakes the waiter at once; the frame count is looked at a
/// few times per timeout (at most once a second) — a wake-up every 100 ms for every session
/// of a recording server was more of its CPU than some sessions' media.
actor SessionWatch {
    private var ended: ChannelViewer.EndReason?
    private var lastMedia = ContinuousClock.now
    private var framesSeen = 0
    /// The waiter's nap, resumed by its timer, an end or cancellation.
    private var nap: CheckedContinuation<Void, Never>?
    private var napTimer: Task<Void, Never>?

    func observe(_ event: PeerConnectionEvent) {
        if let why = event.endsSession { end(.peerGone(why)) }
    }

    func end(_ reason: ChannelViewer.EndReason) {
        if ended == nil { ended = reason }
        wake()
    }

    /// How often the frame count is looked at: a quarter of the timeout, at most a second
    /// and at least 10 ms.
    static func checkInterval(mediaTimeout: Duration) -> Duration {
        min(.seconds(1), max(.milliseconds(10), mediaTimeout / 4))
    }

    /// - Parameter checkInterval: how often to look at the frame count
    ///   (``checkInterval(mediaTimeout:)`` unless given).
    func wait(
        until deadline: ContinuousClock.Instant?, mediaTimeout: Duration, activity: ReceiveActivity, checkInterval: Duration? = nil
    ) async -> ChannelViewer.EndReason {
        let interval = checkInterval ?? Self.checkInterval(mediaTimeout: mediaTimeout)
        while true {
            if let ended { return ended }
            let now = ContinuousClock.now
            if activity.framesReceived != framesSeen { (framesSeen, lastMedia) = (activity.framesReceived, now) }
            if let deadline, now >= deadline { return .deadline }
            if now - lastMedia > mediaTimeout { return .noMedia }
            if Task.isCancelled { return .deadline }
            var wake = now + interval
            if let deadline { wake = min(wake, deadline) }
            await withTaskCancellationHandler {
                await sleep(until: wake)
            } onCancel: {
                Task { await self.wake() }
            }
        }
    }

    /// Sleeps until `instant`, an end, or cancellation (``wake()``).
    private func sleep(until instant: ContinuousClock.Instant) async {
        await withCheckedContinuation { continuation in
            nap = continuation
            napTimer = Task { [weak self] in
                try? await Task.sleep(until: instant)
                await self?.wake()
            }
        }
    }

    private func wake() {
        napTimer?.cancel()
        napTimer = nil
        nap?.resume()
        nap = nil
    }
}

extension PeerConnectionEvent {
    /// Why this event ends the peer's session (its transport failed or closed, ICE
    /// failed), nil for any other event.
    var endsSession: String? {
        switch self {
        case .transport(.failed(let why)): why
        case .transport(.closed): "closed"
        case .transport(.iceStateChanged(let state)) where state == .failed: "ICE failed"
        default: nil
        }
    }
}
