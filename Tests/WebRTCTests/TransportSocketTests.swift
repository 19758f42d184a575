import NIOCore
import NIOPosix
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
            let channel = try await WebRTCTransport.datagramBootstrap(on: eventLoop).bind(host: "127.0.0.1", port: 0).get()
            channels.append(channel)
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
        let first = try await WebRTCTransport.datagramBootstrap(on: eventLoop).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(first.localAddress?.port)
        await #expect(throws: (any Error).self) {
            try await WebRTCTransport.datagramBootstrap(on: eventLoop).bind(host: "127.0.0.1", port: port).get()
        }
        try await first.close()
    }
}
