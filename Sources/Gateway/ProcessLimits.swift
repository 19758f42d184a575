import Glibc

/// Limits of this process that a gateway raises for itself.
public enum ProcessLimits {
    /// Raises the open-file limit to its hard limit and returns it. Every WebRTC connection
    /// holds two descriptors per socket (the one an event loop reads and the sender's own
    /// copy), so the usual soft limit of 1,024 would stop a gateway at a few hundred viewers.
    /// Child processes inherit the raised limit.
    @discardableResult
    public static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}
