import Testing

@testable import WebRTC

/// A connection's media receiver is ticked (reorder timeouts, NACKs, PLIs) once media
/// arrives: a connection that only sends — each viewer of a fan-out — keeps no 20-ms timer.
@Suite struct ReceiverTickTests {
    final class CountingReceiver: TransportMediaReceiver {
        var packets = 0
        var ticks = 0
        func receiveRTP(_ bytes: consuming [UInt8], now: ContinuousClock.Instant) { packets += 1 }
        func receiveRTCP(_ bytes: [UInt8], now: ContinuousClock.Instant) {}
        func tick(now: ContinuousClock.Instant) -> [UInt8]? {
            ticks += 1
            return nil
        }
    }

    /// (ticking, packets, ticks) of the receiver attached to `transport`.
    static func state(of transport: WebRTCTransport) async throws -> (Bool, Int, Int) {
        try await transport.eventLoop.submit {
            let driver = transport.driver.value
            let receiver = driver?.mediaReceiver as? CountingReceiver
            let ticking = driver.map { $0.receiverTicker?.contains(ObjectIdentifier($0)) ?? false } ?? false
            return (ticking, receiver?.packets ?? -1, receiver?.ticks ?? -1)
        }.get()
    }

    @Test func ticksStartWithTheFirstMediaPacket() async throws {
        let (offerer, answerer) = try await SegmentedWriteTransportTests.connected()
        let transport = answerer.transport
        try await transport.eventLoop.submit {
            transport.driver.value?.attach(CountingReceiver(), tickInterval: .milliseconds(20))
        }.get()
        try await Task.sleep(for: .milliseconds(200))
        let idle = try await Self.state(of: transport)
        #expect(idle.0 == false)
        #expect(idle.2 == 0)
        #expect(try await offerer.transport.sendRTP(rtpPacket(sequence: 7, payload: [1, 2, 3])))
        var receiving = try await Self.state(of: transport)
        let deadline = ContinuousClock.now + .seconds(5)
        while receiving.2 < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            receiving = try await Self.state(of: transport)
        }
        #expect(receiving.0)
        #expect(receiving.1 == 1)
        #expect(receiving.2 >= 3)
        await offerer.transport.close()
        await answerer.transport.close()
    }
}
