import Synchronization

/// How many frames a connection has delivered, readable from any thread without a trip to
/// its event loop: session watchdogs poll it to notice silence.
public final class ReceiveActivity: Sendable {
    private let frames = Atomic<Int>(0)

    public init() {}

    public var framesReceived: Int { frames.load(ordering: .relaxed) }

    func delivered(_ count: Int) {
        frames.add(count, ordering: .relaxed)
    }
}
