import CAllocator
import Gateway
import Glibc
import Testing

/// With ``ProcessAllocator/keepFreedMemory(environment:)`` memory freed at the top of a heap
/// stays for the next allocations instead of going back to the kernel and coming back as
/// page faults on zeroed pages.
@Suite(.serialized) struct ProcessAllocatorTests {
    /// Page faults of this thread (other tests run beside it): `RUSAGE_THREAD`, which
    /// Glibc's Swift module leaves out (1, getrusage(2)).
    static func minorFaults() -> Int {
        var usage = rusage()
        getrusage(1, &usage)
        return usage.ru_minflt
    }

    /// Allocates and touches `count` blocks of 1 MiB, frees them, returns the page faults it took.
    static func allocateTouchAndFree(count: Int) -> Int {
        let before = minorFaults()
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            guard let block = malloc(1 << 20) else { continue }
            memset(block, 0xA5, 1 << 20)
            blocks.append(block)
        }
        for block in blocks.reversed() { free(block) }
        return minorFaults() - before
    }

    /// 40 MiB freed at the top of the heap: with glibc's initial thresholds (128 KiB) it goes
    /// back to the kernel and every page faults again; with ours it is reused. One thread
    /// (the main actor's), so one heap.
    @MainActor @Test func freedMemoryIsReusedWithoutPageFaults() {
        defer { ProcessAllocator.keepFreedMemory(environment: [:]) }
        #expect(peergate_malloc_thresholds(128 << 10, 128 << 10) == 1)
        _ = Self.allocateTouchAndFree(count: 40)
        let withDefaults = Self.allocateTouchAndFree(count: 40)
        #expect(withDefaults > 5_000, "\(withDefaults) page faults for 40 MiB with glibc's thresholds (10,240 pages)")
        #expect(ProcessAllocator.keepFreedMemory(environment: [:]))
        _ = Self.allocateTouchAndFree(count: 40)
        let kept = Self.allocateTouchAndFree(count: 40)
        #expect(kept < 1_000, "\(kept) page faults for 40 MiB reused (10,240 pages)")
    }

    @Test func mallocTunablesInTheEnvironmentWin() {
        #expect(!ProcessAllocator.keepFreedMemory(environment: ["GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1048576"]))
        #expect(!ProcessAllocator.keepFreedMemory(environment: ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"]))
    }
}
