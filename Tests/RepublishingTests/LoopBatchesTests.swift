import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Republishing

/// `LoopBatches`: a frame's sends are grouped by the recipients' event loops, and each
/// recipient gets its items in order, on its own loop, with their resent flag.
@Suite struct LoopBatchesTests {
    /// Records what reached it and whether each send ran on its loop.
    final class Recorder: LoopBatchRecipient {
        let loop: any EventLoop
        private let log = Mutex<(queued: Int, sent: [(item: Int, resent: Bool, onLoop: Bool)])>((0, []))

        init(loop: any EventLoop) { self.loop = loop }

        func queued() { log.withLock { $0.queued += 1 } }

        func send(_ item: Int, resent: Bool) {
            let onLoop = loop.inEventLoop
            log.withLock { $0.sent.append((item, resent, onLoop)) }
        }

        var queuedCount: Int { log.withLock { $0.queued } }
        var sent: [(item: Int, resent: Bool, onLoop: Bool)] { log.withLock { $0.sent } }
    }

    @Test func sendsAreGroupedByLoopAndArriveInOrderOnTheirLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let first = Recorder(loop: loops[0]), second = Recorder(loop: loops[0]), third = Recorder(loop: loops[1])
        var batches = LoopBatches<Recorder>()
        for item in 0..<5 {
            for recipient in [first, second, third] { batches.add(item, for: recipient, resent: item == 3) }
        }
        #expect(batches.loopCount == 2)
        for recipient in [first, second, third] {
            #expect(recipient.queuedCount == 5)
            #expect(recipient.sent.isEmpty)
        }
        batches.dispatch()
        // A task queued after the dispatch on each loop runs after that loop's sends.
        for loop in loops { try await loop.submit {}.get() }
        for recipient in [first, second, third] {
            let sent = recipient.sent
            #expect(sent.map { $0.item } == Array(0..<5))
            #expect(sent.map { $0.resent } == [false, false, false, true, false])
            #expect(!sent.contains { !$0.onLoop })
        }
        try await group.shutdownGracefully()
    }

    @Test func nothingAddedDispatchesNothing() {
        let batches = LoopBatches<Recorder>()
        #expect(batches.loopCount == 0)
        batches.dispatch()
    }
}
