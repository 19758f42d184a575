import NIOCore
import NIOPosix
import NetworkAddress
import Testing

@testable import WebRTC

/// The sockets of WebRTC transports: each bound to port 0 gets a port of its own. With
/// SO_REUSEADDR, Linux handed out ports already held by live sockets (about 1 in 200 binds
/// with a few hundred open) and delivered their datagrams to the newest — in a 30-minute
/// soak, a long-lived recorder's connection lost consent when a churned viewer's socket
/// took its port.
@Suite struct TransportSocketTests {
    @Test func socketsBoundToPortZeroNeverShareAPort() async throws {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        var channels: [any Channel] = []
        var ports: [Int] = []
        for _ in 0..<1500 {
            let (channel, port, _) = try await WebRTCTransport.bindSocket(TransportAddress(ip: .v4(0x7F00_0001), port: 0), on: eventLoop)
            channels.append(channel)
            #expect(channel.localAddress?.port == Int(port))
            ports.append(channel.localAddress?.port ?? -1)
        }
        for channel in channels { try await channel.close() }
        #expect(!ports.contains(-1))
        // 1,500 live sockets drawn from ~28,000 ephemeral ports: with SO_REUSEADDR about 40
        // collisions were expected; without it, none is possible.
        #expect(Set(ports).count == ports.count, "\(ports.count - Set(ports).count) ports handed out twice")
    }

    @Test func aFixedPortHeldByAnotherTransportIsRefused() async throws {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let (first, port, _) = try await WebRTCTransport.bindSocket(TransportAddress(ip: .v4(0x7F00_0001), port: 0), on: eventLoop)
        await #expect(throws: (any Error).self) {
            try await WebRTCTransport.bindSocket(TransportAddress(ip: .v4(0x7F00_0001), port: port), on: eventLoop)
        }
        try await first.close()
    }
}
