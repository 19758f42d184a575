import Foundation
import Locking
import NIOCore
import NIOPosix
import NetworkAddress
import NetworkAddressNIO
import STUN
import TURN

/// The I/O side of the TURN server: one ``TURNServerCore`` shared by every event loop.
///
/// Each loop has its own UDP listener on the TURN port (SO_REUSEPORT: the kernel keeps each
/// client on one socket), TCP/TLS connections are spread over the loops, and a relay socket
/// lives on the loop of the client that allocated it — so a relayed packet is read and
/// written on one thread. The core sits behind a mutex held only for its (short) decisions;
/// socket writes happen outside it and are batched until the end of each read burst.
final class TURNEngine: @unchecked Sendable {
    struct Shared: Sendable {
        var core: TURNServerCore
        var streams: [TURNFiveTuple: any Channel] = [:]
        var relays: [AllocationID: any Channel] = [:]
    }

    let shared: LockedState<Shared>
    let metrics: TURNMetrics
    private let bindingResponder: STUNBindingResponder
    private let contexts: [ObjectIdentifier: TURNLoopContext]
    /// The loop that runs the periodic tick.
    let tickContext: TURNLoopContext

    /// - Parameter eventLoops: the loops that carry the server (at least one).
    init(core: TURNServerCore, eventLoops: [any EventLoop], metrics: TURNMetrics) {
        precondition(!eventLoops.isEmpty)
        bindingResponder = STUNBindingResponder(software: core.configuration.software)
        shared = LockedState(Shared(core: core))
        self.metrics = metrics
        let contexts = eventLoops.map(TURNLoopContext.init(eventLoop:))
        self.contexts = Dictionary(contexts.map { (ObjectIdentifier($0.eventLoop), $0) }) { first, _ in first }
        tickContext = contexts[0]
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    /// The context of `eventLoop` (the tick loop's for a loop the engine was not given).
    func context(for eventLoop: any EventLoop) -> TURNLoopContext {
        contexts[ObjectIdentifier(eventLoop)] ?? tickContext
    }

    // MARK: Listeners

    func streamOpened(_ tuple: TURNFiveTuple, channel: any Channel) {
        shared.withLock { $0.streams[tuple] = channel }
    }

    func streamClosed(_ tuple: TURNFiveTuple, on context: TURNLoopContext) {
        let outputs = shared.withLock { state in
            state.streams[tuple] = nil
            return state.core.clientClosed(tuple)
        }
        perform(outputs, on: context)
    }

    // MARK: Inputs

    /// A datagram on a UDP listener.
    func datagram(_ envelope: AddressedEnvelope<ByteBuffer>, on context: TURNLoopContext) {
        guard let client = envelope.remoteAddress.transportAddress, let listener = context.datagramListener else { return }
        if let response = bindingResponse(envelope.data, from: client, allocator: listener.allocator) {
            context.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response), to: listener)
            return
        }
        fromClient(envelope.data, tuple: TURNFiveTuple(transport: .udp, client: client, server: context.serverAddress), on: context)
    }

    /// The message type of a Binding request (RFC 8489 §5: method 0x001, class request).
    private static let bindingRequestType: UInt16 = 0x0001

    /// The answer to a plain Binding request, written without building a message value
    /// (``STUNBindingResponder``); nil for everything else.
    private func bindingResponse(_ request: ByteBuffer, from client: TransportAddress, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard request.readableBytes >= STUNMessage.headerLength,
            request.getInteger(at: request.readerIndex, as: UInt16.self) == Self.bindingRequestType
        else { return nil }
        let responder = bindingResponder
        var response = allocator.buffer(capacity: responder.maxResponseLength)
        let written = request.withUnsafeReadableBytes { bytes in
            response.writeWithUnsafeMutableBytes(minimumWritableBytes: responder.maxResponseLength) { output in
                responder.respond(to: bytes, from: client, into: output) ?? 0
            }
        }
        guard written > 0 else { return nil }
        shared.withLock { $0.core.countBindingRequest() }
        return response
    }

    /// A STUN message or ChannelData from a client (a datagram, or a frame of a stream).
    func fromClient(_ buffer: ByteBuffer, tuple: TURNFiveTuple, on context: TURNLoopContext, stream: (any Channel)? = nil) {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if ChannelData.starts(with: first) {
            guard buffer.readableBytes >= ChannelData.headerLength,
                let number = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
                let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
                Int(length) <= buffer.readableBytes - ChannelData.headerLength,
                let payload = buffer.getSlice(at: buffer.readerIndex + ChannelData.headerLength, length: Int(length))
            else {
                shared.withLock { $0.core.countMalformed() }
                return
            }
            let now = Self.now()
            let route = shared.withLock { state -> (TURNServerCore.Forwarding, relay: (any Channel)?)? in
                guard let forwarding = state.core.channelData(channel: number, length: Int(length), from: tuple, now: now) else { return nil }
                if case .relay(let id, _) = forwarding { return (forwarding, state.relays[id]) }
                return (forwarding, nil)
            }
            switch route {
            case (.relay(_, let peer), let relay?)?:
                context.write(AddressedEnvelope(remoteAddress: SocketAddress(peer), data: payload), to: relay)
            case (.local(let delivery, let from), _)?:
                deliver(delivery, from: from, payload: payload, on: context, allocator: context.datagramListener?.allocator ?? ByteBufferAllocator())
            default:
                return
            }
        } else if first & 0xC0 == 0 {
            if let stream, let response = bindingResponse(buffer, from: tuple.client, allocator: stream.allocator) {
                context.write(response, to: stream)
                return
            }
            let now = Self.now()
            let bytes = Array(buffer.readableBytesView)
            perform(shared.withLock { $0.core.handleSTUN(bytes, from: tuple, now: now) }, on: context)
        } else {
            shared.withLock { $0.core.countMalformed() }
        }
    }

    /// A datagram a peer sent to a relay.
    func fromPeer(_ id: AllocationID, _ envelope: AddressedEnvelope<ByteBuffer>, on context: TURNLoopContext, allocator: ByteBufferAllocator) {
        guard let peer = envelope.remoteAddress.transportAddress else { return }
        let payload = envelope.data
        let now = Self.now()
        guard let delivery = shared.withLock({ $0.core.peerData(on: id, from: peer, length: payload.readableBytes, now: now) }) else { return }
        deliver(delivery, from: peer, payload: payload, on: context, allocator: allocator)
    }

    /// Data from a peer to the client of an allocation: ChannelData on its channel (RFC 8656
    /// §12.4, padded on streams §12.5), else a Data indication (§11.3).
    private func deliver(_ delivery: TURNServerCore.PeerDelivery, from peer: TransportAddress, payload: ByteBuffer, on context: TURNLoopContext, allocator: ByteBufferAllocator) {
        switch delivery {
        case .channel(let tuple, let number):
            let padding = ChannelData.padding(forLength: payload.readableBytes, stream: tuple.transport.isStream)
            var frame = allocator.buffer(capacity: ChannelData.headerLength + payload.readableBytes + padding)
            frame.writeInteger(number)
            frame.writeInteger(UInt16(payload.readableBytes))
            frame.writeImmutableBuffer(payload)
            if padding > 0 { frame.writeRepeatingByte(0, count: padding) }
            toClient(tuple, frame, on: context)
        case .dataIndication(let tuple):
            toClient(tuple, ByteBuffer(bytes: TURNServerCore.dataIndication(from: peer, payload: payload.readableBytesView)), on: context)
        }
    }

    /// Expires allocations, permissions and channels; exports the counters.
    func tick() {
        let now = Self.now()
        let outputs = shared.withLock { state in
            let outputs = state.core.tick(now: now)
            metrics.update(state.core)
            return outputs
        }
        perform(outputs, on: tickContext)
        tickContext.flush()
    }

    /// Closes every relay and stream (shutdown).
    func closeAll() {
        let channels = shared.withLock { state in
            let channels = Array(state.relays.values) + Array(state.streams.values)
            state.relays.removeAll()
            state.streams.removeAll()
            return channels
        }
        for channel in channels { channel.close(promise: nil) }
    }
}
