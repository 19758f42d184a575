import ChannelPeers
import NIOCore
import NIOPosix
import Testing

/// A master's viewers share the event loop that serves most of them, up to the limit; past
/// it they spread over the loops serving the fewest.
@Suite struct ViewerLoopPlacementTests {
    static func count(_ loop: any EventLoop, in loops: [any EventLoop]) -> Int { loops.filter { $0 === loop }.count }

    @Test func viewersJoinTheLoopServingMostOfThem() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 3)
        defer { try? group.syncShutdownGracefully() }
        let loops = Array(group.makeIterator())
        let first = ViewerLoopPlacement.loop(serving: [], in: group)
        #expect(loops.contains { $0 === first })
        #expect(ViewerLoopPlacement.loop(serving: [loops[1], loops[0], loops[1]], in: group) === loops[1])
        // The fullest loop is at the limit: the next fullest below it.
        #expect(ViewerLoopPlacement.loop(serving: [loops[0], loops[0], loops[1]], in: group, perLoop: 2) === loops[1])
        // Every loop in use is full: the one serving the fewest (none).
        #expect(ViewerLoopPlacement.loop(serving: [loops[0], loops[0], loops[1], loops[1]], in: group, perLoop: 2) === loops[2])
    }

    @Test func aChannelsViewersShareOneLoopAndALargeFanOutUsesEveryLoop() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        var placed: [any EventLoop] = []
        for _ in 0..<10 { placed.append(ViewerLoopPlacement.loop(serving: placed, in: group)) }
        #expect(placed.allSatisfy { $0 === placed[0] })
        for _ in 10..<40 { placed.append(ViewerLoopPlacement.loop(serving: placed, in: group)) }
        let counts = Array(group.makeIterator()).map { Self.count($0, in: placed) }
        #expect(counts == [20, 20])
    }
}
