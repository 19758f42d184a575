/// A connection of the service read in-process as an async stream (the HTTPS offer relay,
/// tests): what the service writes arrives on ``outbound``, ending after a close.
public final class StreamSink: SignalingConnectionSink {
    public enum Item: Sendable, Equatable {
        case text(String)
        case close(reason: String)
    }

    public let outbound: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation

    /// - Parameter limit: messages waiting before further ones are refused.
    public init(limit: Int = 256) {
        (outbound, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(limit))
    }

    public func send(_ text: String) -> Bool {
        if case .enqueued = continuation.yield(.text(text)) { return true }
        return false
    }

    public func close(reason: String) {
        continuation.yield(.close(reason: reason))
        continuation.finish()
    }

    /// Ends the stream without a close message (the reader is done).
    public func finish() {
        continuation.finish()
    }
}
