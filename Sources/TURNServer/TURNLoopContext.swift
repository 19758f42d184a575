import NIOCore
import NetworkAddressNIO
import NetworkAddress

/// What the TURN engine keeps per event loop: that loop's UDP listener socket (all loops'
/// listeners share the TURN port through SO_REUSEPORT, so any of them sends with the
/// server's address) and the channels written since the loop's last flush. Touched only on
/// its own loop.
final class TURNLoopContext: @unchecked Sendable {
    let eventLoop: any EventLoop
    private(set) var datagramListener: (any Channel)?
    /// The listener's local address: the server side of UDP 5-tuples.
    private(set) var serverAddress = TransportAddress(ip: .v4(0), port: 0)
    private var unflushed: [ObjectIdentifier: any Channel] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func attach(_ listener: any Channel) {
        eventLoop.assertInEventLoop()
        datagramListener = listener
        if let local = listener.localAddress?.transportAddress { serverAddress = local }
    }

    /// Queues `value` on `channel`; it goes out at the next ``flush()``.
    func write<T: Sendable>(_ value: T, to channel: any Channel) {
        channel.write(value, promise: nil)
        unflushed[ObjectIdentifier(channel)] = channel
    }

    /// Sends what this loop's last read burst wrote (NIO sends datagrams with `sendmmsg`).
    func flush() {
        guard !unflushed.isEmpty else { return }
        for channel in unflushed.values { channel.flush() }
        unflushed.removeAll(keepingCapacity: true)
    }
}
