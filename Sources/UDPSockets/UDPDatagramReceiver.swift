import CDatagramBatch
import Glibc
import NetworkAddress

/// Reads datagrams from sockets in batches (`recvmmsg`), without waiting: the caller
/// decides when to read (an event loop that polls its connections' sockets on a timer
/// instead of waking for every burst). One receiver serves every socket its thread polls —
/// its buffer (64 KiB) is scratch space between two calls, not a socket's. Reads through a
/// ``UDPDatagramSender``'s descriptor. Not thread-safe: one event loop uses it.
public final class UDPDatagramReceiver {
    /// What one ``receive(_:)`` call found.
    public enum Outcome: Equatable, Sendable {
        /// `count` datagrams were read; fewer than ``batchSize`` means the socket was drained.
        case received(count: Int)
        /// Another error than "nothing waiting" (errno); nothing was read.
        case failed(Int32)
    }

    /// Datagrams one system call reads at most.
    public let batchSize: Int
    /// Largest datagram kept whole; longer ones are truncated by the kernel and dropped here.
    public let slotSize: Int
    private var buffer: [UInt8]
    private var sources: [sockaddr_storage]
    private var lengths: [UInt32]
    private var truncatedFlags: [UInt8]
    public private(set) var datagramsReceived = 0
    /// Datagrams longer than ``slotSize`` (dropped).
    public private(set) var truncated = 0

    /// - Parameters:
    ///   - batchSize: datagrams per system call (at most 64).
    ///   - slotSize: bytes kept per datagram (more than a WebRTC datagram carries).
    public init(batchSize: Int = 32, slotSize: Int = 2_048) {
        self.batchSize = min(max(1, batchSize), Int(CDATAGRAM_BATCH_MAX))
        self.slotSize = max(1, slotSize)
        buffer = [UInt8](repeating: 0, count: self.batchSize * self.slotSize)
        sources = [sockaddr_storage](repeating: sockaddr_storage(), count: self.batchSize)
        lengths = [UInt32](repeating: 0, count: self.batchSize)
        truncatedFlags = [UInt8](repeating: 0, count: self.batchSize)
    }

    /// Reads what waits on `socket` (a sender's descriptor: the same socket), up to
    /// ``batchSize`` datagrams with one system call, and hands each to `body` with its
    /// source. Returns at once when nothing waits.
    public func receive(from socket: UDPDatagramSender, _ body: ([UInt8], TransportAddress) -> Void) -> Outcome {
        let (batchSize, slotSize, descriptor) = (batchSize, slotSize, socket.descriptor)
        let count = buffer.withUnsafeMutableBufferPointer { buffer in
            sources.withUnsafeMutableBufferPointer { sources in
                lengths.withUnsafeMutableBufferPointer { lengths in
                    truncatedFlags.withUnsafeMutableBufferPointer { flags in
                        Int(
                            cdatagram_receive_batch(
                                descriptor, buffer.baseAddress, slotSize, UInt32(batchSize), sources.baseAddress, lengths.baseAddress, flags.baseAddress))
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
            datagramsReceived += 1
            body(Array(buffer[start..<start + Int(lengths[index])]), source)
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
