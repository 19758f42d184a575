import NIOCore

/// Something frames are sent to on one event loop (a republished source's viewer).
protocol LoopBatchRecipient: AnyObject, Sendable {
    associatedtype Item: Sendable
    /// The loop the recipient sends on.
    var loop: any EventLoop { get }
    /// An item is on its way to the loop (counted as backlog until sent).
    func queued()
    /// Sends an item (`resent`: a cached one again); on ``loop``.
    func send(_ item: Item, resent: Bool)
}

/// Items for recipients, grouped by the event loop they send on: one task per loop sends
/// them all, in the order they were added. A master's viewers share one loop or a few
/// (``ViewerLoopPlacement``), so the groups are a short list searched in order rather than
/// a dictionary hashed and allocated for every frame.
struct LoopBatches<Recipient: LoopBatchRecipient> {
    private var batches: [(loop: any EventLoop, sends: [(Recipient, Recipient.Item, Bool)])] = []

    /// Loops with something to send.
    var loopCount: Int { batches.count }

    mutating func add(_ item: Recipient.Item, for recipient: Recipient, resent: Bool = false) {
        recipient.queued()
        if let index = batches.firstIndex(where: { $0.loop === recipient.loop }) {
            batches[index].sends.append((recipient, item, resent))
        } else {
            batches.append((recipient.loop, [(recipient, item, resent)]))
        }
    }

    /// Hands each loop its sends.
    func dispatch() {
        for (loop, sends) in batches {
            loop.execute {
                for (recipient, item, resent) in sends { recipient.send(item, resent: resent) }
            }
        }
    }
}
