import Foundation
import Glibc
import NetworkAddress
import Testing

@testable import UDPSockets

/// Batched reads (`recvmmsg`) hand over each waiting datagram whole with its source, return
/// at once when nothing waits, drop what does not fit a slot, and one receiver reads many
/// sockets.
@Suite struct UDPDatagramReceiverTests {
    static let loopback = IPAddress.v4(0x7F00_0001)

    static func read(_ receiver: UDPDatagramReceiver, from socket: UDPDatagramSender) -> (
        outcome: UDPDatagramReceiver.Outcome, datagrams: [([UInt8], TransportAddress)]
    ) {
        var datagrams: [([UInt8], TransportAddress)] = []
        let outcome = receiver.receive(from: socket) { datagrams.append(($0, $1)) }
        return (outcome, datagrams)
    }

    @Test func waitingDatagramsComeInBatchesWithTheirSources() throws {
        let (socket, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        let own = try UDPDatagramSender(duplicating: socket)
        let receiver = UDPDatagramReceiver(batchSize: 4)
        #expect(Self.read(receiver, from: own).outcome == .received(count: 0))

        let (other, otherPort) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(other) }
        let peer = try UDPDatagramSender(duplicating: other)
        let sent = (0..<6).map { UDPDatagramSenderTests.datagram(100 + $0 * 200, seed: UInt8($0)) }
        for datagram in sent { #expect(peer.send([datagram], to: TransportAddress(ip: Self.loopback, port: port)) == .sent) }

        let first = Self.read(receiver, from: own)
        #expect(first.outcome == .received(count: 4))
        let second = Self.read(receiver, from: own)
        #expect(second.outcome == .received(count: 2))
        #expect((first.datagrams + second.datagrams).map(\.0) == sent)
        #expect((first.datagrams + second.datagrams).allSatisfy { $0.1 == TransportAddress(ip: Self.loopback, port: otherPort) })
        #expect(Self.read(receiver, from: own).outcome == .received(count: 0))
        #expect(receiver.datagramsReceived == 6)
    }

    /// One receiver reads several sockets in turn (an event loop's polled connections):
    /// each socket's datagrams reach its own caller, whole, whatever the other socket held.
    @Test func oneReceiverServesSeveralSockets() throws {
        let (first, firstPort) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(first) }
        let (second, secondPort) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(second) }
        let (firstSocket, secondSocket) = (try UDPDatagramSender(duplicating: first), try UDPDatagramSender(duplicating: second))
        let toFirst = [UDPDatagramSenderTests.datagram(1_200, seed: 1), UDPDatagramSenderTests.datagram(300, seed: 2)]
        let toSecond = [UDPDatagramSenderTests.datagram(900, seed: 3)]
        #expect(secondSocket.send(toFirst, to: TransportAddress(ip: Self.loopback, port: firstPort)) == .sent)
        #expect(firstSocket.send(toSecond, to: TransportAddress(ip: Self.loopback, port: secondPort)) == .sent)
        let receiver = UDPDatagramReceiver(batchSize: 8)
        let fromFirst = Self.read(receiver, from: firstSocket)
        let fromSecond = Self.read(receiver, from: secondSocket)
        #expect(fromFirst.datagrams.map(\.0) == toFirst)
        #expect(fromFirst.datagrams.allSatisfy { $0.1.port == secondPort })
        #expect(fromSecond.datagrams.map(\.0) == toSecond)
        #expect(fromSecond.datagrams.first?.1.port == firstPort)
    }

    @Test func aDatagramLongerThanASlotIsDroppedAndCounted() throws {
        let (socket, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        let receiver = UDPDatagramReceiver(batchSize: 8, slotSize: 1_000)
        let peer = try UDPDatagramSender(duplicating: socket)
        let short = UDPDatagramSenderTests.datagram(999, seed: 1)
        #expect(peer.send([UDPDatagramSenderTests.datagram(1_500, seed: 2)], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(peer.send([short], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        let read = Self.read(receiver, from: peer)
        #expect(read.outcome == .received(count: 2))
        #expect(read.datagrams.map(\.0) == [short])
        #expect(receiver.truncated == 1)
    }

    /// A segmented write (`UDP_SEGMENT`) to a socket with coalescing on arrives as one
    /// message on loopback, and comes out as the datagrams that were sent, each whole.
    @Test func aCoalescedMessageIsSplitIntoItsDatagrams() throws {
        let (socket, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        let own = try UDPDatagramSender(duplicating: socket)
        let receiver = UDPDatagramReceiver(batchSize: 8, slotSize: UDPDatagramReceiver.coalescedSlotSize)
        #expect(receiver.enableCoalescing(on: own))
        let (other, otherPort) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(other) }
        let peer = try UDPDatagramSender(duplicating: other)
        let run = (0..<5).map { UDPDatagramSenderTests.datagram(1_200, seed: UInt8($0)) } + [UDPDatagramSenderTests.datagram(333, seed: 9)]
        let single = UDPDatagramSenderTests.datagram(80, seed: 7)
        #expect(peer.send(run, to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(peer.send([single], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        let read = Self.read(receiver, from: own)
        #expect(read.outcome == .received(count: 2))
        #expect(read.datagrams.map(\.0) == run + [single])
        #expect(read.datagrams.allSatisfy { $0.1 == TransportAddress(ip: Self.loopback, port: otherPort) })
        #expect(receiver.coalescedMessages == 1)
        #expect(receiver.datagramsReceived == 7)
    }

    /// Without coalescing the same write arrives as one message per datagram, and a
    /// receiver whose slots could cut a coalesced message short does not turn it on.
    @Test func coalescingNeedsSlotsForAWholeMessage() throws {
        let (socket, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        let own = try UDPDatagramSender(duplicating: socket)
        let receiver = UDPDatagramReceiver(batchSize: 8)
        #expect(!receiver.enableCoalescing(on: own))
        let run = (0..<3).map { UDPDatagramSenderTests.datagram(1_000, seed: UInt8($0)) }
        #expect(own.send(run, to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        let read = Self.read(receiver, from: own)
        #expect(read.outcome == .received(count: 3))
        #expect(read.datagrams.map(\.0) == run)
        #expect(receiver.coalescedMessages == 0)
    }

    @Test func ipv6SourcesAreKept() throws {
        let loopback = try #require(IPAddress("::1"))
        let (socket, port) = try UDPSocket.bind(TransportAddress(ip: loopback, port: 0))
        defer { close(socket) }
        let own = try UDPDatagramSender(duplicating: socket)
        #expect(own.send([[1, 2, 3]], to: TransportAddress(ip: loopback, port: port)) == .sent)
        let read = Self.read(UDPDatagramReceiver(), from: own)
        #expect(read.datagrams.map(\.0) == [[1, 2, 3]])
        #expect(read.datagrams.first?.1 == TransportAddress(ip: loopback, port: port))
    }

    /// The receive buffer is raised to 1 MiB: past `net.core.rmem_max` with CAP_NET_ADMIN,
    /// else as far as the cap lets it (Linux reports twice the size asked, its bookkeeping
    /// included).
    @Test func boundSocketsAskForALargerReceiveBuffer() throws {
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0)
        let cap = try #require(Self.receiveBufferCap())
        let expected = Self.hasNetAdmin() ? UDPSocket.receiveBufferBytes : min(UDPSocket.receiveBufferBytes, cap)
        #expect(size >= 2 * expected, "SO_RCVBUF \(size), rmem_max \(cap)")
    }

    /// With CAP_NET_ADMIN a request past `net.core.rmem_max` is granted whole.
    @Test func netAdminGetsABufferPastTheCap() throws {
        #expect(Self.hasNetAdmin(), "this test needs CAP_NET_ADMIN (make test runs as root)")
        let cap = try #require(Self.receiveBufferCap())
        let asked = cap + (1 << 20)
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0), receiveBuffer: asked)
        defer { close(socket) }
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0)
        #expect(size >= 2 * asked, "SO_RCVBUF \(size), asked \(asked), rmem_max \(cap)")
    }

    /// `net.core.rmem_max`: the most SO_RCVBUF grants without CAP_NET_ADMIN.
    static func receiveBufferCap() -> Int32? {
        (try? String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Whether this process has CAP_NET_ADMIN (bit 12 of `CapEff`, capabilities(7)).
    static func hasNetAdmin() -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
            let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << 12) != 0
    }
}
