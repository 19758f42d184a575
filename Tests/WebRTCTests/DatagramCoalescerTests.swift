import ICE
import NetworkAddress
import Testing

@testable import WebRTC

/// Which datagrams may share one segmented write: the kernel's rule (equal sizes, the last
/// no larger, at most 64 and ~64 KB) and one socket, one destination.
@Suite struct DatagramCoalescerTests {
    static let base = TransportAddress(ip: .v4(0x7F00_0001), port: 5000)
    static let viewer = TransportAddress(ip: .v4(0x7F00_0001), port: 6000)
    static let other = TransportAddress(ip: .v4(0x7F00_0001), port: 6001)

    static func writes(_ sizes: [(Int, TransportAddress)], enabled: Bool = true) -> [[Int]] {
        var coalescer = DatagramCoalescer(enabled: enabled)
        var writes: [[Int]] = []
        for (index, (size, destination)) in sizes.enumerated() {
            let bytes = [UInt8](repeating: UInt8(index % 256), count: size)
            coalescer.add(ICETransmission(bytes: bytes, base: base, destination: destination)) { writes.append($0.datagrams.map(\.count)) }
        }
        coalescer.finish { writes.append($0.datagrams.map(\.count)) }
        return writes
    }

    @Test func aFramesPacketsToOneViewerShareAWrite() {
        #expect(Self.writes([(1216, Self.viewer), (1216, Self.viewer), (1216, Self.viewer), (480, Self.viewer)]) == [[1216, 1216, 1216, 480]])
    }

    @Test func aShorterDatagramEndsTheWrite() {
        #expect(Self.writes([(1216, Self.viewer), (480, Self.viewer), (480, Self.viewer)]) == [[1216, 480], [480]])
        #expect(Self.writes([(480, Self.viewer), (1216, Self.viewer)]) == [[480], [1216]])
    }

    @Test func anotherDestinationStartsAWrite() {
        #expect(Self.writes([(1000, Self.viewer), (1000, Self.other), (1000, Self.other), (1000, Self.viewer)]) == [[1000], [1000, 1000], [1000]])
    }

    @Test func writesStayWithinTheKernelsLimits() {
        let many = Self.writes(Array(repeating: (100, Self.viewer), count: 130))
        #expect(many.map(\.count) == [64, 64, 2])
        let large = Self.writes(Array(repeating: (1400, Self.viewer), count: 50))
        #expect(large.allSatisfy { $0.reduce(0, +) <= DatagramCoalescer.maxBytes })
        #expect(large.map(\.count) == [46, 4])
    }

    /// An empty datagram would be no segment at all: it goes alone.
    @Test func anEmptyDatagramIsAWriteOfItsOwn() {
        #expect(Self.writes([(1000, Self.viewer), (0, Self.viewer), (1000, Self.viewer)]) == [[1000], [0], [1000]])
    }

    @Test func offEveryDatagramIsAWriteOfItsOwn() {
        #expect(Self.writes([(1216, Self.viewer), (1216, Self.viewer)], enabled: false) == [[1216], [1216]])
    }
}
