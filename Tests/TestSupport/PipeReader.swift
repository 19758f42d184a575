import Foundation

/// Reads a pipe to its end on a thread of its own. A blocking read on the cooperative pool
/// (two threads on a two-core machine) would stall every other test while a child process
/// runs.
public func readToEnd(_ handle: FileHandle) async -> Data {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: handle.readDataToEndOfFile())
        }
    }
}
