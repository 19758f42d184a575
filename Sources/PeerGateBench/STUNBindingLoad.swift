import NIOCore
import NIOPosix
import STUN
import Synchronization

/// A closed-loop STUN Binding load: `sockets` UDP sockets each keep `window` requests in
/// flight (a response releases the next request; a socket that hears nothing for 50 ms
/// refills its window). Counts the responses received during the measured interval, which
/// starts once every socket has heard a response (at least 500 ms, at most `warmUpLimit` after
/// the first requests): a server still setting up its sessions on a busy machine is not
/// measured as a server that answers nothing.
struct STUNBindingLoad: Sendable {
    var host: String
    var port: Int
    var sockets = 4
    var window = 32
    var warmUpLimit: Duration = .seconds(10)

    func run(seconds: Double) async throws -> Double {
        let counter = ResponseCounter()
        var channels: [any Channel] = []
        let request = Self.request()
        let target = try SocketAddress(ipAddress: host, port: port)
        for _ in 0..<sockets {
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 2048))
                .channelOption(.datagramVectorReadMessageCount, value: 16)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ResponseHandler(counter: counter, target: target, request: request))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            channels.append(channel)
        }
        let refill = window
        let tickers = channels.map { channel in
            channel.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(50)) { _ in
                channel.pipeline.fireUserInboundEventTriggered(ResponseHandler.Refill(count: refill))
            }
        }
        let warmUpEnd = ContinuousClock.now + warmUpLimit
        try await Task.sleep(for: .milliseconds(500))
        while counter.socketsHeard < sockets, ContinuousClock.now < warmUpEnd {
            try await Task.sleep(for: .milliseconds(20))
        }
        let start = ContinuousClock.now
        let before = counter.value
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let received = counter.value - before
        let elapsed = ContinuousClock.now - start
        for ticker in tickers { ticker.cancel() }
        for channel in channels { try? await channel.close() }
        return Double(received) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func request() -> [UInt8] {
        var builder = STUNMessageBuilder(type: STUNMessageType(method: STUNMethod.binding, messageClass: .request), transactionID: STUNMessageBuilder.randomTransactionID())
        builder.appendFingerprint()
        return builder.bytes
    }
}

final class ResponseCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let heard = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    /// Called once per socket, at its first response.
    func socketHeard() { heard.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
    var socketsHeard: Int { heard.load(ordering: .relaxed) }
}

/// Sends a request for every response; refills the window after a silent interval.
final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    struct Refill { let count: Int }

    private let counter: ResponseCounter
    private let target: SocketAddress
    private let request: [UInt8]
    private var heardSinceRefill = false
    private var heardAny = false

    init(counter: ResponseCounter, target: SocketAddress, request: [UInt8]) {
        self.counter = counter
        self.target = target
        self.request = request
    }

    private func send(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: target, data: context.channel.allocator.buffer(bytes: request))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        counter.add()
        if !heardAny {
            heardAny = true
            counter.socketHeard()
        }
        heardSinceRefill = true
        send(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let refill = event as? Refill else { return }
        if !heardSinceRefill {
            for _ in 0..<refill.count { send(context: context) }
            context.flush()
        }
        heardSinceRefill = false
    }
}
