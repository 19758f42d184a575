import NIOCore
import Synchronization
import UDPSockets

/// Buffers that every transport on one event loop shares: each holds bytes only during one
/// synchronous call on the loop (assembling a segmented write, a batch of polled reads),
/// so a connection needs none of its own — they were 96 KiB of each connection's memory.
/// Only its own event loop touches it.
final class LoopScratch {
    /// Where segmented writes are assembled (``UDPDatagramSender``).
    let segments = UDPSegmentBuffer()
    /// The batch reader of polled sockets, with slots that hold a coalesced message (its
    /// 2 MiB are touched only as far as reads fill them).
    let datagrams = UDPDatagramReceiver(slotSize: UDPDatagramReceiver.coalescedSlotSize)

    private init() {}

    private static let scratches = Mutex<[ObjectIdentifier: NIOLoopBound<LoopScratch>]>([:])

    /// The scratch of `eventLoop`; call on that loop.
    static func on(_ eventLoop: any EventLoop) -> LoopScratch {
        eventLoop.preconditionInEventLoop()
        return scratches.withLock { scratches in
            if let scratch = scratches[ObjectIdentifier(eventLoop)] { return scratch.value }
            let scratch = LoopScratch()
            scratches[ObjectIdentifier(eventLoop)] = NIOLoopBound(scratch, eventLoop: eventLoop)
            return scratch
        }
    }
}
