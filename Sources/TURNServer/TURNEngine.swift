import Foundation
import NIOCore
import NIOPosix
import NetworkAddress
import STUN
import TURN

/// The I/O side of the TURN server: one ``TURNServerCore`` and every socket of the server,
/// all confined to one event loop (so the core needs no lock and relaying never hops
/// threads). Handlers feed it; it writes what the core decides, batching writes until the
/// end of each read burst (NIO then sends them with `sendmmsg`).
final class TURNEngine: @unchecked Sendable {
    let eventLoop: any EventLoop
    private(set) var core: TURNServerCore
    private let metrics: TURNMetrics
    private let bindingResponder: STUNBindingResponder
    private var datagramListener: (any Channel)?
    private var streams: [TURNFiveTuple: any Channel] = [:]
    private var relays: [AllocationID: any Channel] = [:]
    private var unflushed: [ObjectIdentifier: any Channel] = [:]
    /// The local address of the UDP listener (the server side of UDP 5-tuples).
    private var datagramServerAddress = TransportAddress(ip: .v4(0), port: 0)

    init(core: TURNServerCore, eventLoop: any EventLoop, metrics: TURNMetrics) {
        self.core = core
        self.eventLoop = eventLoop
        self.metrics = metrics
        bindingResponder = STUNBindingResponder(software: core.configuration.software)
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    // MARK: Listeners

    func attachDatagramListener(_ channel: any Channel) {
        eventLoop.assertInEventLoop()
        datagramListener = channel
        if let local = channel.localAddress?.transportAddress { datagramServerAddress = local }
    }

    func streamOpened(_ tuple: TURNFiveTuple, channel: any Channel) {
        eventLoop.assertInEventLoop()
        streams[tuple] = channel
    }

    func streamClosed(_ tuple: TURNFiveTuple) {
        eventLoop.assertInEventLoop()
        streams[tuple] = nil
        perform(core.clientClosed(tuple))
    }

    /// A datagram on the UDP listener.
    func datagram(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let client = envelope.remoteAddress.transportAddress else { return }
        if let listener = datagramListener, let response = bindingResponse(envelope.data, from: client, allocator: listener.allocator) {
            write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response), to: listener)
            return
        }
        fromClient(envelope.data, tuple: TURNFiveTuple(transport: .udp, client: client, server: datagramServerAddress))
    }

    /// The message type of a Binding request (RFC 8489 §5: method 0x001, class request).
    private static let bindingRequestType: UInt16 = 0x0001

    /// The answer to a plain Binding request, written without building a message value
    /// (``STUNBindingResponder``); nil for everything else.
    private func bindingResponse(_ request: ByteBuffer, from client: TransportAddress, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard request.readableBytes >= STUNMessage.headerLength, request.getInteger(at: request.readerIndex, as: UInt16.self) == Self.bindingRequestType else {
            return nil
        }
        let responder = bindingResponder
        var response = allocator.buffer(capacity: responder.maxResponseLength)
        let written = request.withUnsafeReadableBytes { bytes in
            response.writeWithUnsafeMutableBytes(minimumWritableBytes: responder.maxResponseLength) { output in
                responder.respond(to: bytes, from: client, into: output) ?? 0
            }
        }
        guard written > 0 else { return nil }
        core.countBindingRequest()
        return response
    }

    /// A STUN message or ChannelData from a client (a datagram, or a frame of a stream).
    func fromClient(_ buffer: ByteBuffer, tuple: TURNFiveTuple) {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if ChannelData.starts(with: first) {
            guard buffer.readableBytes >= ChannelData.headerLength,
                let number = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
                let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
                Int(length) <= buffer.readableBytes - ChannelData.headerLength,
                let payload = buffer.getSlice(at: buffer.readerIndex + ChannelData.headerLength, length: Int(length))
            else {
                core.countMalformed()
                return
            }
            guard let (id, peer) = core.channelData(channel: number, length: Int(length), from: tuple, now: Self.now()),
                let relay = relays[id]
            else { return }
            write(AddressedEnvelope(remoteAddress: SocketAddress(peer), data: payload), to: relay)
        } else if first & 0xC0 == 0 {
            if let stream = streams[tuple], let response = bindingResponse(buffer, from: tuple.client, allocator: stream.allocator) {
                write(response, to: stream)
                return
            }
            perform(core.handleSTUN(Array(buffer.readableBytesView), from: tuple, now: Self.now()))
        } else {
            core.countMalformed()
        }
    }

    /// A datagram a peer sent to a relay.
    func fromPeer(_ id: AllocationID, _ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let peer = envelope.remoteAddress.transportAddress else { return }
        let payload = envelope.data
        switch core.peerData(on: id, from: peer, length: payload.readableBytes, now: Self.now()) {
        case .channel(let tuple, let number)?:
            let padding = ChannelData.padding(forLength: payload.readableBytes, stream: tuple.transport.isStream)
            var frame = ByteBufferAllocator().buffer(capacity: ChannelData.headerLength + payload.readableBytes + padding)
            frame.writeBytes(ChannelData.header(channel: number, length: payload.readableBytes))
            frame.writeImmutableBuffer(payload)
            if padding > 0 { frame.writeRepeatingByte(0, count: padding) }
            toClient(tuple, frame)
        case .dataIndication(let tuple)?:
            toClient(tuple, ByteBuffer(bytes: TURNServerCore.dataIndication(from: peer, payload: payload.readableBytesView)))
        case nil:
            return
        }
    }

    // MARK: Outputs

    private func perform(_ outputs: [TURNServerCore.Output]) {
        for output in outputs {
            switch output {
            case .toClient(let tuple, let bytes):
                toClient(tuple, ByteBuffer(bytes: bytes))
            case .openRelay(let id, let address):
                openRelay(id, at: address)
            case .closeRelay(let id):
                relays.removeValue(forKey: id)?.close(promise: nil)
            case .toPeer(let id, let peer, let bytes):
                if let relay = relays[id] { write(AddressedEnvelope(remoteAddress: SocketAddress(peer), data: ByteBuffer(bytes: bytes)), to: relay) }
            }
        }
    }

    private func toClient(_ tuple: TURNFiveTuple, _ buffer: ByteBuffer) {
        if tuple.transport == .udp {
            guard let listener = datagramListener else { return }
            write(AddressedEnvelope(remoteAddress: SocketAddress(tuple.client), data: buffer), to: listener)
        } else if let stream = streams[tuple] {
            write(buffer, to: stream)
        }
    }

    private func write<T: Sendable>(_ value: T, to channel: any Channel) {
        channel.write(value, promise: nil)
        unflushed[ObjectIdentifier(channel)] = channel
    }

    /// Sends what the last read burst wrote.
    func flush() {
        guard !unflushed.isEmpty else { return }
        for channel in unflushed.values { channel.flush() }
        unflushed.removeAll(keepingCapacity: true)
    }

    private func openRelay(_ id: AllocationID, at address: TransportAddress) {
        let engine = self
        DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 0)
            .channelOption(.datagramVectorReadMessageCount, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TURNRelayHandler(id: id, engine: engine))
                }
            }
            .bind(to: SocketAddress(address))
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    engine.relays[id] = channel
                    engine.perform(engine.core.relayOpened(id, now: Self.now()))
                case .failure:
                    engine.perform(engine.core.relayFailed(id, now: Self.now()))
                }
                engine.flush()
            }
    }

    /// Expires allocations, permissions and channels; exports the counters.
    func tick() {
        perform(core.tick(now: Self.now()))
        flush()
        metrics.update(core)
    }

    /// Closes every relay and stream (shutdown).
    func closeAll() {
        for relay in relays.values { relay.close(promise: nil) }
        for stream in streams.values { stream.close(promise: nil) }
        relays.removeAll()
        streams.removeAll()
    }
}
