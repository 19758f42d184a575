import CDatagramBatch
import Glibc
import NetworkAddress

/// Reads datagrams from sockets in batches (`recvmmsg`), without waiting: the caller
/// decides when to read (an event loop that polls its connections' sockets on a timer
/// instead of waking for every burst). One receiver serves every socket its thread polls —
/// its buffer is scratch space between two calls, not a socket's. Reads through a
/// ``UDPDatagramSender``'s descriptor. Sockets may receive coalesced runs of datagrams
/// (``enableCoalescing(on:)``), which it splits again. Not thread-safe: one event loop uses it.
public final class UDPDatagramReceiver {
    /// What one ``receive(_:)`` call found.
    public enum Outcome: Equatable, Sendable {
        /// `count` messages were read (a coalesced message holds several datagrams); fewer
        /// than ``batchSize`` means the socket was drained.
        case received(count: Int)
        /// Another error than "nothing waiting" (errno); nothing was read.
        case failed(Int32)
    }

    /// Messages one system call reads at most.
    public let batchSize: Int
    /// Largest message kept whole; longer ones are truncated by the kernel and dropped here.
    public let slotSize: Int
    /// A slot that holds any UDP payload, so a coalesced message is never cut.
    public static let coalescedSlotSize = 65_536
    /// `batchSize` slots. Allocated, not initialised: the kernel writes what it reads, and
    /// pages of slots never used are never touched.
    private let buffer: UnsafeMutableRawBufferPointer
    private var sources: [sockaddr_storage]
    private var lengths: [UInt32]
    private var truncatedFlags: [UInt8]
    private var segmentSizes: [UInt32]
    public private(set) var datagramsReceived = 0
    /// Messages that held several datagrams (coalesced by the kernel).
    public private(set) var coalescedMessages = 0
    /// Messages longer than ``slotSize`` (dropped).
    public private(set) var truncated = 0

    /// - Parameters:
    ///   - batchSize: messages per system call (at most 64).
    ///   - slotSize: bytes kept per message: more than a WebRTC datagram carries, and
    ///     ``coalescedSlotSize`` for sockets that receive coalesced datagrams.
    public init(batchSize: Int = 32, slotSize: Int = 2_048) {
        self.batchSize = min(max(1, batchSize), Int(CDATAGRAM_BATCH_MAX))
        self.slotSize = max(1, slotSize)
        buffer = .allocate(byteCount: self.batchSize * self.slotSize, alignment: 16)
        sources = [sockaddr_storage](repeating: sockaddr_storage(), count: self.batchSize)
        lengths = [UInt32](repeating: 0, count: self.batchSize)
        truncatedFlags = [UInt8](repeating: 0, count: self.batchSize)
        segmentSizes = [UInt32](repeating: 0, count: self.batchSize)
    }

    deinit { buffer.deallocate() }

    /// Lets `socket` receive a run of datagrams of one flow as one message, which
    /// ``receive(from:_:)`` splits again (Linux `UDP_GRO`, 5.0+): a frame's packets sent as
    /// one segmented write (`UDP_SEGMENT`) stay one buffer on the way in, or a network
    /// card's receive path merges back-to-back packets — one message instead of one per
    /// datagram. Only with slots of ``coalescedSlotSize``: a coalesced message cut short
    /// would lose datagrams. Returns whether the kernel agreed.
    @discardableResult
    public func enableCoalescing(on socket: UDPDatagramSender) -> Bool {
        guard slotSize >= Self.coalescedSlotSize else { return false }
        return cdatagram_enable_coalescing(socket.descriptor) == 0
    }

    /// Reads what waits on `socket` (a sender's descriptor: the same socket), up to
    /// ``batchSize`` messages with one system call, and hands each datagram to `body` with
    /// its source (a coalesced message's in order). Returns at once when nothing waits.
    public func receive(from socket: UDPDatagramSender, _ body: ([UInt8], TransportAddress) -> Void) -> Outcome {
        let (batchSize, slotSize, descriptor, base) = (batchSize, slotSize, socket.descriptor, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self))
        let count = sources.withUnsafeMutableBufferPointer { sources in
            lengths.withUnsafeMutableBufferPointer { lengths in
                truncatedFlags.withUnsafeMutableBufferPointer { flags in
                    segmentSizes.withUnsafeMutableBufferPointer { segments in
                        Int(
                            cdatagram_receive_batch(
                                descriptor, base, slotSize, UInt32(batchSize), sources.baseAddress, lengths.baseAddress, flags.baseAddress,
                                segments.baseAddress))
                    }
                }
            }
        }
        guard count >= 0 else {
            let code = errno
            return code == EAGAIN || code == EWOULDBLOCK ? .received(count: 0) : .failed(code)
        }
        for index in 0..<count {
            guard truncatedFlags[index] == 0 else {
                truncated += 1
                continue
            }
            guard let source = Self.transportAddress(sources[index]) else { continue }
            let start = index * slotSize
            let end = start + Int(lengths[index])
            // A message that was not coalesced is one segment as long as itself (an empty
            // datagram included).
            let segment = segmentSizes[index] > 0 ? Int(segmentSizes[index]) : max(end - start, 1)
            if end - start > segment { coalescedMessages += 1 }
            var offset = start
            repeat {
                let next = min(offset + segment, end)
                datagramsReceived += 1
                body(Array(UnsafeRawBufferPointer(rebasing: buffer[offset..<next])), source)
                offset = next
            } while offset < end
        }
        return .received(count: count)
    }

    /// The IPv4 or IPv6 address and port in `storage`; nil for other families.
    static func transportAddress(_ storage: sockaddr_storage) -> TransportAddress? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> TransportAddress? in
            switch family {
            case AF_INET:
                let address = raw.loadUnaligned(as: sockaddr_in.self)
                return TransportAddress(ip: .v4(UInt32(bigEndian: address.sin_addr.s_addr)), port: UInt16(bigEndian: address.sin_port))
            case AF_INET6:
                let address = raw.loadUnaligned(as: sockaddr_in6.self)
                guard let ip = withUnsafeBytes(of: address.sin6_addr, { IPAddress(bytes: $0) }) else { return nil }
                return TransportAddress(ip: ip, port: UInt16(bigEndian: address.sin6_port))
            default:
                return nil
            }
        }
    }
}
