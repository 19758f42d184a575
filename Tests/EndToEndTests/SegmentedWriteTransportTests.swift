import DTLS
import Glibc
import Testing

@testable import UDPSockets
@testable import WebRTC

/// A frame's packets leave a transport as one segmented write (UDP GSO) and arrive as the
/// packets they were; where the kernel refuses such writes (a route without checksum
/// offload or through IPsec), the transport sends them one by one and stops segmenting.
@Suite struct SegmentedWriteTransportTests {
    static func frame(_ first: UInt16) -> [[UInt8]] {
        (0..<3).map { rtpPacket(sequence: first + UInt16($0), payload: Array(repeating: UInt8($0), count: 1000)) }
    }

    static func connected() async throws -> (TransportUnderTest, TransportUnderTest) {
        let (offerer, answerer) = try await WebRTCTransportPairTests.connect(offerer: WebRTCTransportConfiguration(), answerer: WebRTCTransportConfiguration())
        try await WebRTCTransportPairTests.expectMediaFlows(offerer, answerer)
        return (offerer, answerer)
    }

    /// Waits until `peer` received each packet of `packets`.
    static func expectReceived(_ packets: [[UInt8]], by peer: TransportUnderTest) async {
        for packet in packets { #expect(await peer.waitFor(timeout: .seconds(5)) { $0 == .rtp(packet) }) }
    }

    @Test func aFramesPacketsGoAsOneWriteAndArriveApart() async throws {
        let (offerer, answerer) = try await Self.connected()
        let before = try await offerer.transport.stats().segmentedWrites
        let frame = Self.frame(100)
        #expect(try await offerer.transport.sendRTP(packets: frame))
        await Self.expectReceived(frame, by: answerer)
        #expect(try await offerer.transport.stats().segmentedWrites == before + 1)
        await offerer.transport.close()
        await answerer.transport.close()
    }

    @Test func refusedSegmentedWritesGoDatagramByDatagram() async throws {
        let (offerer, answerer) = try await Self.connected()
        // A socket without UDP checksums cannot segment: the kernel refuses such writes.
        let transport = offerer.transport
        let refused = try await transport.eventLoop.submit {
            transport.driver.value?.senders.values.allSatisfy { sender in
                var on: Int32 = 1
                return setsockopt(sender.descriptor, SOL_SOCKET, SO_NO_CHECK, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
            } ?? false
        }.get()
        #expect(refused)
        let first = Self.frame(200)
        #expect(try await offerer.transport.sendRTP(packets: first))
        await Self.expectReceived(first, by: answerer)
        let second = Self.frame(300)
        #expect(try await offerer.transport.sendRTP(packets: second))
        await Self.expectReceived(second, by: answerer)
        let stats = try await offerer.transport.stats()
        #expect(stats.segmentedWritesRefused == 1)
        await offerer.transport.close()
        await answerer.transport.close()
    }
}
