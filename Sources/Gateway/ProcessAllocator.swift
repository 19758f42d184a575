import CAllocator

/// How this process's C allocator (glibc malloc) hands memory back to the kernel.
///
/// By default glibc gives memory back as soon as more than 128 KiB lie free at the top of
/// a heap (`M_TRIM_THRESHOLD`, raised only as far as twice the largest block it once
/// mapped), and maps blocks above a threshold that starts at 128 KiB on their own
/// (`M_MMAP_THRESHOLD`). A recorder builds every fragment in buffers of hundreds of KiB
/// (libavformat's fragment buffer, a keyframe's frame) and frees them a second later: the
/// heaps shrank and grew again, and each time the pages came back as page faults on zeroed
/// memory — 6,553 in 10 s with 40 sessions recorded, 963 with these thresholds, and about
/// 7 % less recorder CPU (`peergate bench ingest`). The price: the resident size stays
/// near its peak.
public enum ProcessAllocator {
    /// Blocks below this come from the heaps (glibc's own dynamic threshold stops at 32 MiB).
    public static let mmapThreshold = 32 << 20
    /// Free memory at the top of a heap kept for reuse, up to this.
    public static let trimThreshold = 128 << 20

    /// Sets both thresholds unless the environment tunes malloc itself (`GLIBC_TUNABLES`
    /// naming a malloc threshold); returns whether it set them.
    @discardableResult
    public static func keepFreedMemory(environment: [String: String]) -> Bool {
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("malloc.trim_threshold") || tunables.contains("malloc.mmap_threshold") {
            return false
        }
        return peergate_malloc_thresholds(Int32(mmapThreshold), Int32(trimThreshold)) == 1
    }
}
