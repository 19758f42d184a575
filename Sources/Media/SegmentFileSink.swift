import CFFmpeg
import Glibc

/// When a segment file is flushed to stable storage (`fsync`).
public enum SegmentSyncPolicy: String, Sendable, CaseIterable {
    /// After every fragment: a power loss or `kill -9` costs at most the fragment being built.
    case fragment
    /// When the segment closes.
    case segment
    /// Never (the kernel writes back when it likes).
    case off
}

/// The file a ``MediaSegmentWriter`` writes through: a plain descriptor behind a custom
/// `AVIOContext`, so the writer knows how many bytes reached the file and can `fsync` it.
/// Not seekable: the fragmented muxer only appends, so a cut-off file keeps its fragments.
/// Buffered, not direct: the muxer patches box sizes by seeking back within the buffer.
final class SegmentFileSink {
    let path: String
    let descriptor: Int32
    /// Bytes handed to the kernel so far (the file's size: the muxer only appends).
    private(set) var bytesWritten: Int64 = 0
    /// The first write error (errno), kept: libavformat only sees -1.
    private(set) var writeError: Int32?
    private(set) var context: UnsafeMutablePointer<AVIOContext>?
    static let bufferSize = 64 * 1024

    init(path: String) throws(MediaError) {
        self.path = path
        // A new file only: an existing recording is never truncated.
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        guard let buffer = av_malloc(Self.bufferSize)?.assumingMemoryBound(to: UInt8.self),
            let context = avio_alloc_context(buffer, Int32(Self.bufferSize), 1, nil, nil, Self.writePacket, nil)
        else {
            close(descriptor)
            throw .library(operation: "avio_alloc_context", code: peergate_averror(ENOMEM), message: "out of memory")
        }
        self.context = context
        context.pointee.opaque = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if context != nil {
            av_freep(&context!.pointee.buffer)
            avio_context_free(&context)
        }
        close(descriptor)
    }

    /// Pushes libavformat's buffer to the file.
    func flush() throws(MediaError) {
        if let context { avio_flush(context) }
        if let writeError { throw .file(path: path, reason: String(cString: strerror(writeError))) }
    }

    /// `fsync`: the bytes written so far survive a power loss. Returns the time it took.
    func sync() throws(MediaError) -> Duration {
        let start = ContinuousClock.now
        guard fsync(descriptor) == 0 else { throw .file(path: path, reason: "fsync: " + String(cString: strerror(errno))) }
        return ContinuousClock.now - start
    }

    /// Writes are refused from now on (the file is abandoned).
    func stopWriting() {
        writeError = writeError ?? ECANCELED
    }

    private func write(_ bytes: UnsafeRawPointer, _ count: Int) -> Int32 {
        if writeError != nil { return -1 }
        var offset = 0
        while offset < count {
            let written = Glibc.write(descriptor, bytes + offset, count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                writeError = written < 0 ? errno : EIO
                return -1
            }
            offset += written
        }
        bytesWritten += Int64(count)
        return Int32(count)
    }

    /// libavformat's write callback: the byte count, or AVERROR(errno) (so its messages say
    /// "No space left on device", not a bare -1).
    private static let writePacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buffer, size in
        guard let opaque, let buffer else { return peergate_averror(EINVAL) }
        let sink = Unmanaged<SegmentFileSink>.fromOpaque(opaque).takeUnretainedValue()
        let written = sink.write(buffer, Int(size))
        return written >= 0 ? written : peergate_averror(sink.writeError ?? EIO)
    }
}
