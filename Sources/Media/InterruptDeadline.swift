import CFFmpeg
import Glibc
import Synchronization

/// The deadline libavformat's interrupt callback checks: blocking opens and reads of a
/// network source give up when it passes or when the reader is cancelled.
final class InterruptDeadline: Sendable {
    private let nanoseconds = Atomic<Int64>(Int64.max)
    private let cancelled = Atomic<Bool>(false)
    /// The owner's handle, which may cancel before the reader exists (a blocking open).
    private let external: MediaSourceCancellation?

    init(external: MediaSourceCancellation? = nil) {
        self.external = external
    }

    /// Monotonic time in nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    func arm(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        nanoseconds.store(Self.now() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) || external?.isCancelled == true }

    var expired: Bool { isCancelled || Self.now() > nanoseconds.load(ordering: .relaxed) }

    /// The callback record for `AVFormatContext.interrupt_callback`; `self` must outlive the context.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<InterruptDeadline>.fromOpaque(opaque).takeUnretainedValue().expired ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}

/// Cancels a ``MediaSourceReader``'s blocking open or read from another thread, also
/// before the reader exists (pass it in ``MediaSourceOptions/cancellation``).
public final class MediaSourceCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    public init() {}

    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}
