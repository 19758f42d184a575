import Glibc
import NetworkAddress
import Testing

@testable import UDPSockets

/// Segmented writes on loopback reach a plain receiving socket as the separate datagrams
/// they were, byte for byte; a write the kernel refuses sends nothing and says so.
@Suite struct UDPDatagramSenderTests {
    static let loopback = IPAddress.v4(0x7F00_0001)

    /// Reads every datagram waiting on `descriptor`, up to `count`, waiting up to a second.
    static func receive(_ descriptor: CInt, count: Int) -> [[UInt8]] {
        var received: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(1)
        while received.count < count, ContinuousClock.now < deadline {
            let length = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if length >= 0 { received.append(Array(buffer[0..<length])) } else { usleep(1000) }
        }
        return received
    }

    static func datagram(_ length: Int, seed: UInt8) -> [UInt8] { (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) } }

    @Test func aSegmentedWriteArrivesAsItsDatagrams() throws {
        let (receiver, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(receiver) }
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        let sender = try UDPDatagramSender(duplicating: socket)
        let datagrams = [Self.datagram(1_200, seed: 1), Self.datagram(1_200, seed: 2), Self.datagram(1_200, seed: 3), Self.datagram(431, seed: 4)]
        #expect(sender.send(datagrams, to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(sender.send([Self.datagram(90, seed: 5)], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(Self.receive(receiver, count: 6) == datagrams + [Self.datagram(90, seed: 5)])
        #expect(sender.datagramsSent == 5)
    }

    /// Senders of one event loop share one assembly buffer: each segmented write carries its
    /// own datagrams, whatever the other sender assembled before.
    @Test func sendersSharingAnAssemblyBufferSendTheirOwnDatagrams() throws {
        let (receiver, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(receiver) }
        let (first, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(first) }
        let (second, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(second) }
        let shared = UDPSegmentBuffer()
        let (one, other) = (try UDPDatagramSender(duplicating: first, scratch: shared), try UDPDatagramSender(duplicating: second, scratch: shared))
        let fromOne = [Self.datagram(1_000, seed: 1), Self.datagram(1_000, seed: 2), Self.datagram(10, seed: 3)]
        let fromOther = [Self.datagram(600, seed: 4), Self.datagram(600, seed: 5)]
        #expect(one.send(fromOne, to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(other.send(fromOther, to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(Self.receive(receiver, count: 5) == fromOne + fromOther)
    }

    @Test func theSenderOutlivesTheDescriptorItCopied() throws {
        let (receiver, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(receiver) }
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        let sender = try UDPDatagramSender(duplicating: socket)
        close(socket)
        #expect(sender.send([Self.datagram(100, seed: 9)], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(Self.receive(receiver, count: 1) == [Self.datagram(100, seed: 9)])
    }

    /// A socket without UDP checksums (SO_NO_CHECK) cannot segment: the kernel answers
    /// EINVAL, as it answers EIO on a route without checksum offload.
    @Test func aRefusedSegmentedWriteSendsNothing() throws {
        let (receiver, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(receiver) }
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(socket) }
        var on: Int32 = 1
        #expect(setsockopt(socket, SOL_SOCKET, SO_NO_CHECK, &on, socklen_t(MemoryLayout<Int32>.size)) == 0)
        let sender = try UDPDatagramSender(duplicating: socket)
        let outcome = sender.send([Self.datagram(500, seed: 1), Self.datagram(500, seed: 2)], to: TransportAddress(ip: Self.loopback, port: port))
        #expect(outcome == .segmentationRefused)
        #expect(sender.send([Self.datagram(500, seed: 3)], to: TransportAddress(ip: Self.loopback, port: port)) == .sent)
        #expect(Self.receive(receiver, count: 3) == [Self.datagram(500, seed: 3)])
    }

    @Test func aPortHeldByAnotherSocketIsRefused() throws {
        let (first, port) = try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: 0))
        defer { close(first) }
        #expect(port != 0)
        #expect(throws: UDPSocketError.self) { try UDPSocket.bind(TransportAddress(ip: Self.loopback, port: port)) }
    }

    @Test func ipv6LoopbackSocketsSendSegmentedWrites() throws {
        let loopback = try #require(IPAddress("::1"))
        let (receiver, port) = try UDPSocket.bind(TransportAddress(ip: loopback, port: 0))
        defer { close(receiver) }
        let (socket, _) = try UDPSocket.bind(TransportAddress(ip: loopback, port: 0))
        defer { close(socket) }
        let sender = try UDPDatagramSender(duplicating: socket)
        let datagrams = [Self.datagram(800, seed: 1), Self.datagram(800, seed: 2)]
        #expect(sender.send(datagrams, to: TransportAddress(ip: loopback, port: port)) == .sent)
        #expect(Self.receive(receiver, count: 2) == datagrams)
    }
}
