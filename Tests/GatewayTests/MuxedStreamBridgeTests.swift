import Foundation
import Hummingbird
import Testing

@testable import Gateway

/// The bridge between a muxer thread and a response: back-pressure, and the producer
/// learning that nobody reads any more.
@Suite struct MuxedStreamBridgeTests {
    @Test func theProducerStopsWhenTheConsumerCancels() async throws {
        let bridge = MuxedStreamBridge(window: 2)
        #expect(bridge.put([1]) && bridge.put([2]))
        bridge.cancel()
        #expect(!bridge.put([3]))
        var received: [[UInt8]] = []
        bridge.finish()
        for try await chunk in bridge.stream { received.append(Array(buffer: chunk)) }
        #expect(received == [[1], [2]])
    }

    @Test func aConsumerThatNeverReadsReleasesTheProducer() {
        let bridge = MuxedStreamBridge(window: 1, idleLimit: .milliseconds(200))
        #expect(bridge.put([1]))
        let started = Date()
        #expect(!bridge.put([2]))
        #expect(Date().timeIntervalSince(started) >= 0.15)
        #expect(bridge.cancelled)
    }

    @Test func chunksFlowWithinTheWindow() async throws {
        let bridge = MuxedStreamBridge(window: 2)
        let producer = Thread {
            for index in 0..<50 { guard bridge.put([UInt8(index)]) else { return } }
            bridge.finish()
        }
        producer.start()
        var total = 0
        for try await chunk in bridge.stream {
            total += chunk.readableBytes
            bridge.sent()
        }
        #expect(total == 50)
    }
}
