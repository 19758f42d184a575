import CFFmpeg

/// A write-only `AVIOContext` that hands libavformat's output to a closure in chunks of
/// up to 64 KiB, for muxing straight into a network response. The closure returns false
/// to stop (the reader went away): the muxer's next write then fails with `EPIPE`.
final class MediaByteSink {
    private(set) var context: UnsafeMutablePointer<AVIOContext>?
    private let consume: ([UInt8]) -> Bool
    private(set) var stopped = false
    private(set) var bytesWritten: Int64 = 0
    static let bufferSize = 64 * 1024

    init(consume: @escaping ([UInt8]) -> Bool) throws(MediaError) {
        self.consume = consume
        guard let buffer = av_malloc(Self.bufferSize)?.assumingMemoryBound(to: UInt8.self),
            let context = avio_alloc_context(buffer, Int32(Self.bufferSize), 1, nil, nil, Self.writePacket, nil)
        else { throw .library(operation: "avio_alloc_context", code: peergate_averror(ENOMEM), message: "out of memory") }
        self.context = context
        context.pointee.opaque = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if context != nil {
            av_freep(&context!.pointee.buffer)
            avio_context_free(&context)
        }
    }

    /// Pushes what libavformat buffered to the closure.
    func flush() {
        if let context { avio_flush(context) }
    }

    private static let writePacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buffer, size in
        guard let opaque, let buffer, size >= 0 else { return peergate_averror(EINVAL) }
        let sink = Unmanaged<MediaByteSink>.fromOpaque(opaque).takeUnretainedValue()
        guard !sink.stopped, sink.consume(Array(UnsafeBufferPointer(start: buffer, count: Int(size)))) else {
            sink.stopped = true
            return peergate_averror(EPIPE)
        }
        sink.bytesWritten += Int64(size)
        return size
    }
}
