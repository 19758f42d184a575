import NIOCore

/// Which event loop a master's next viewer gets. A master sends each frame to all its
/// viewers, and each loop that serves some of them is woken for it (an `eventfd` write,
/// a context switch): with its viewers together, a frame wakes one loop. So a viewer joins
/// the loop that serves most of the master's viewers while that loop has fewer than
/// ``viewersPerLoop``; a master's first viewer takes the group's next loop (so channels
/// spread over the loops), and past the limit a viewer takes the loop serving the fewest,
/// so a large fan-out still uses every core.
public enum ViewerLoopPlacement {
    /// A channel has at most 10 viewers (KVS's limit, `signaling.maxViewers`): all of them
    /// share a loop. One loop sends a 1-Mbit/s stream to several hundred viewers, so 16 of
    /// them leave it most of its time.
    public static let viewersPerLoop = 16

    /// The loop for the next viewer, given the loops of the viewers the master serves now
    /// (one entry per viewer) and the group's loops.
    public static func loop(serving current: [any EventLoop], in group: any EventLoopGroup, perLoop: Int = viewersPerLoop) -> any EventLoop {
        guard !current.isEmpty else { return group.next() }
        var counts: [ObjectIdentifier: Int] = [:]
        for loop in current { counts[ObjectIdentifier(loop), default: 0] += 1 }
        func served(_ loop: any EventLoop) -> Int { counts[ObjectIdentifier(loop), default: 0] }
        if let fullest = current.filter({ served($0) < perLoop }).max(by: { served($0) < served($1) }) { return fullest }
        return Array(group.makeIterator()).min { served($0) < served($1) } ?? group.next()
    }
}
