import WebRTC

/// Decides when a viewer session is over: the first of an explicit end (signaling ended,
/// peer gone), the deadline, or a media silence longer than the timeout. Media is the
/// connection's frame count (``ReceiveActivity``), whether frames come as events or go to a
/// frame handler.
actor SessionWatch {
    private var ended: ChannelViewer.EndReason?
    private var lastMedia = ContinuousClock.now
    private var framesSeen = 0

    func observe(_ event: PeerConnectionEvent) {
        if let why = event.endsSession { end(.peerGone(why)) }
    }

    func end(_ reason: ChannelViewer.EndReason) {
        if ended == nil { ended = reason }
    }

    /// Polls every 100 ms (cheap; sessions last minutes to days).
    func wait(until deadline: ContinuousClock.Instant?, mediaTimeout: Duration, activity: ReceiveActivity) async -> ChannelViewer.EndReason {
        while true {
            if let ended { return ended }
            let now = ContinuousClock.now
            if activity.framesReceived != framesSeen { (framesSeen, lastMedia) = (activity.framesReceived, now) }
            if let deadline, now >= deadline { return .deadline }
            if now - lastMedia > mediaTimeout { return .noMedia }
            if Task.isCancelled { return .deadline }
            try? await Task.sleep(for: .milliseconds(100))
        }
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
