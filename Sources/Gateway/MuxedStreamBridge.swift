import Dispatch
import Foundation
import Hummingbird
import Synchronization

/// Carries bytes a blocking muxer produces on its own thread to an HTTP response, with
/// back-pressure: the producer blocks once `window` chunks wait unsent, and learns that
/// the client went away (its next `put` returns false), so an abandoned download stops
/// reading files at once.
final class MuxedStreamBridge: Sendable {
    let stream: AsyncThrowingStream<ByteBuffer, any Error>
    private let continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    private let slots: DispatchSemaphore
    private let flag = CancelFlag()

    final class CancelFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    init(window: Int = 16, idleLimit: DispatchTimeInterval = .seconds(600)) {
        self.idleLimit = idleLimit
        (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        slots = DispatchSemaphore(value: window)
        continuation.onTermination = { [slots, flag] _ in
            flag.value.store(true, ordering: .releasing)
            slots.signal()
        }
    }

    var cancelled: Bool { flag.value.load(ordering: .acquiring) }

    /// How long the producer waits for the consumer to take a chunk before giving up (a
    /// response dropped before its body was written never takes one).
    let idleLimit: DispatchTimeInterval

    /// Producer side: blocks while the window is full; false once the consumer is gone.
    func put(_ bytes: [UInt8]) -> Bool {
        guard slots.wait(timeout: .now() + idleLimit) == .success else {
            cancel()
            return false
        }
        guard !cancelled else {
            slots.signal()
            return false
        }
        continuation.yield(ByteBuffer(bytes: bytes))
        return true
    }

    /// Producer side: the end (with the error that cut it short, if any).
    func finish(throwing error: (any Error)? = nil) {
        continuation.finish(throwing: error)
    }

    /// Consumer side: a chunk was sent, the producer may make another.
    func sent() { slots.signal() }

    /// Consumer side: stop the producer.
    func cancel() {
        flag.value.store(true, ordering: .releasing)
        slots.signal()
    }
}

/// The response body of a bridge whose first chunk is already in hand.
struct BridgedBody: Sendable {
    let bridge: MuxedStreamBridge
    let iterator: IteratorBox

    final class IteratorBox: @unchecked Sendable {
        // Used by one task at a time: the handler, then the response writer.
        var iterator: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
        init(_ iterator: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator) { self.iterator = iterator }
    }

    /// Waits for the first chunk: nil and the error when the producer failed before any byte.
    static func start(_ bridge: MuxedStreamBridge) async -> (first: ByteBuffer?, body: BridgedBody, error: (any Error)?) {
        let box = IteratorBox(bridge.stream.makeAsyncIterator())
        do {
            let first = try await box.iterator.next()
            bridge.sent()
            return (first, BridgedBody(bridge: bridge, iterator: box), nil)
        } catch {
            return (nil, BridgedBody(bridge: bridge, iterator: box), error)
        }
    }

    func responseBody(first: ByteBuffer) -> ResponseBody {
        ResponseBody { [bridge, iterator] writer in
            do {
                try await writer.write(first)
                while let chunk = try await iterator.iterator.next() {
                    try await writer.write(chunk)
                    bridge.sent()
                }
                try await writer.finish(nil)
            } catch {
                bridge.cancel()
                throw error
            }
        }
    }
}
