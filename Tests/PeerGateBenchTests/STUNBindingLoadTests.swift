import NIOCore
import NIOPosix
@testable import PeerGateBench
import Synchronization
import Testing

/// The STUN load measures a server once it answers: a server that stays silent for its first
/// 1.5 s (as coturn can while it sets up sessions on a loaded machine) is measured after that,
/// not reported as answering nothing; a server that never answers gives 0.
@Suite struct STUNBindingLoadTests {
    @Test func aServerThatAnswersLateIsMeasuredOnceItAnswers() async throws {
        let server = try await SilentThenEchoingServer.start(silence: .milliseconds(1500))
        defer { server.close() }
        let rate = try await STUNBindingLoad(host: "127.0.0.1", port: server.port, sockets: 2, window: 4).run(seconds: 0.3)
        #expect(rate > 0)
        #expect(server.answered > 0)
    }

    @Test func aServerThatNeverAnswersGivesZero() async throws {
        let server = try await SilentThenEchoingServer.start(silence: .seconds(3600))
        defer { server.close() }
        let load = STUNBindingLoad(host: "127.0.0.1", port: server.port, sockets: 2, window: 4, warmUpLimit: .seconds(1))
        let rate = try await load.run(seconds: 0.2)
        #expect(rate == 0)
        #expect(server.received > 0)
    }
}

/// A UDP server that drops what it receives for `silence`, then sends every datagram back.
private final class SilentThenEchoingServer: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let answersFrom: ContinuousClock.Instant
    private let receivedCount = Atomic<Int>(0)
    private let answeredCount = Atomic<Int>(0)
    private let channel = Mutex<(any Channel)?>(nil)

    private init(silence: Duration) { answersFrom = .now + silence }

    static func start(silence: Duration) async throws -> SilentThenEchoingServer {
        let server = SilentThenEchoingServer(silence: silence)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(server) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = channel }
        return server
    }

    var port: Int { channel.withLock { $0?.localAddress?.port } ?? 0 }
    var received: Int { receivedCount.load(ordering: .relaxed) }
    var answered: Int { answeredCount.load(ordering: .relaxed) }

    func close() { channel.withLock { $0?.close(promise: nil) } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receivedCount.add(1, ordering: .relaxed)
        guard ContinuousClock.now >= answersFrom else { return }
        answeredCount.add(1, ordering: .relaxed)
        context.writeAndFlush(data, promise: nil)
    }
}
