import NIOCore
import NetworkAddressNIO
import NIOPosix
import NetworkAddress
import TURN

/// Carrying out what the core decided: writes to clients and peers, relay sockets opened
/// and closed. Always outside the core's mutex.
extension TURNEngine {
    func perform(_ outputs: [TURNServerCore.Output], on context: TURNLoopContext) {
        for output in outputs {
            switch output {
            case .toClient(let tuple, let bytes):
                toClient(tuple, ByteBuffer(bytes: bytes), on: context)
            case .openRelay(let id, let address):
                openRelay(id, at: address, on: context)
            case .closeRelay(let id):
                shared.withLock { $0.relays.removeValue(forKey: id) }?.close(promise: nil)
            case .toPeer(let id, let peer, let bytes):
                if let relay = shared.withLock({ $0.relays[id] }) {
                    context.write(AddressedEnvelope(remoteAddress: SocketAddress(peer), data: ByteBuffer(bytes: bytes)), to: relay)
                }
            }
        }
    }

    /// To a UDP client through this loop's listener (every listener sends from the TURN
    /// port), to a stream client through its connection.
    func toClient(_ tuple: TURNFiveTuple, _ buffer: ByteBuffer, on context: TURNLoopContext) {
        if tuple.transport == .udp {
            guard let listener = context.datagramListener else { return }
            context.write(AddressedEnvelope(remoteAddress: SocketAddress(tuple.client), data: buffer), to: listener)
        } else if let stream = shared.withLock({ $0.streams[tuple] }) {
            context.write(buffer, to: stream)
        }
    }

    /// Binds the relay socket on the loop of the client that asked for it, so its traffic
    /// stays on one thread.
    private func openRelay(_ id: AllocationID, at address: TransportAddress, on context: TURNLoopContext) {
        let engine = self
        DatagramBootstrap(group: context.eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 0)
            .channelOption(.datagramVectorReadMessageCount, value: 16)
            // Vector reads split the receive buffer among the messages: 2 KiB each.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TURNRelayHandler(id: id, engine: engine, context: context))
                }
            }
            .bind(to: SocketAddress(address))
            .whenComplete { result in
                let now = Self.now()
                let outputs: [TURNServerCore.Output]
                switch result {
                case .success(let channel):
                    outputs = engine.shared.withLock { state in
                        state.relays[id] = channel
                        return state.core.relayOpened(id, now: now)
                    }
                case .failure:
                    outputs = engine.shared.withLock { $0.core.relayFailed(id, now: now) }
                }
                engine.perform(outputs, on: context)
                context.flush()
            }
    }
}
