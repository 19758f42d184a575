import NIOCore
import NetworkAddressNIO
import NetworkAddress
import TURN

/// A UDP listener (one per event loop): every datagram goes to the engine; writes go out
/// at the end of the burst.
final class TURNDatagramHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let engine: TURNEngine
    private let loop: TURNLoopContext

    init(engine: TURNEngine, context: TURNLoopContext) {
        self.engine = engine
        self.loop = context
    }

    func channelActive(context: ChannelHandlerContext) {
        loop.attach(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        engine.datagram(unwrapInboundIn(data), on: loop)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        loop.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors surface here as ECONNREFUSED and the like: not fatal for a UDP listener.
    }
}

/// A TCP or TLS client connection, after ``TURNStreamFramer``.
final class TURNStreamHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let engine: TURNEngine
    private let transport: TURNTransport
    private var tuple: TURNFiveTuple?
    private var loop: TURNLoopContext?

    init(engine: TURNEngine, transport: TURNTransport) {
        self.engine = engine
        self.transport = transport
    }

    func handlerAdded(context: ChannelHandlerContext) {
        loop = engine.context(for: context.eventLoop)
    }

    func channelActive(context: ChannelHandlerContext) {
        if let client = context.channel.remoteAddress?.transportAddress, let server = context.channel.localAddress?.transportAddress {
            let tuple = TURNFiveTuple(transport: transport, client: client, server: server)
            self.tuple = tuple
            engine.streamOpened(tuple, channel: context.channel)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let tuple, let loop else { return }
        engine.fromClient(unwrapInboundIn(data), tuple: tuple, on: loop, stream: context.channel)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        loop?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let tuple, let loop {
            engine.streamClosed(tuple, on: loop)
            loop.flush()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A relay socket, on the loop of its client: datagrams from peers go to the engine.
final class TURNRelayHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let id: AllocationID
    private let engine: TURNEngine
    private let loop: TURNLoopContext

    init(id: AllocationID, engine: TURNEngine, context: TURNLoopContext) {
        self.id = id
        self.engine = engine
        self.loop = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        engine.fromPeer(id, unwrapInboundIn(data), on: loop, allocator: context.channel.allocator)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        loop.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
