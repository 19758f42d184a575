#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State shared between threads behind a POSIX mutex.
///
/// The standard library's `Mutex` would do, but on Linux it waits on a futex, which
/// ThreadSanitizer does not see: every access it guards is then reported as a race
/// (`make test-tsan` runs the whole suite under TSan). A `pthread_mutex_t` is intercepted by
/// TSan and costs the same when uncontended. Like `Mutex`, the value moves in with `sending`
/// and the closure gets it `inout sending`, so non-`Sendable` state can live here.
public final class LockedState<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ initial: consuming sending Value) {
        mutex = UnsafeMutablePointer.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        value = initial
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
