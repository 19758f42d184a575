import Glibc
import NetworkAddress

/// Sends datagrams on a descriptor of its own (a duplicate of a socket an event loop reads
/// from, so it stays valid until this sender is gone): one `sendmsg` per call, and several
/// datagrams of one size (the last no larger) as one segmented write that the kernel
/// splits (Linux UDP generic segmentation offload, `UDP_SEGMENT`, 4.18+). Not thread-safe:
/// one event loop uses it.
public final class UDPDatagramSender {
    /// What became of a send.
    public enum Outcome: Equatable, Sendable {
        case sent
        /// The socket's send buffer is full (EAGAIN): nothing went out.
        case wouldBlock
        /// The kernel refused the segmented write (EIO: a route without checksum offload or
        /// through IPsec; EINVAL: a segment over the path MTU); nothing went out.
        case segmentationRefused
        /// Another error (errno); nothing went out.
        case failed(Int32)
    }

    /// `SOL_UDP` / `UDP_SEGMENT` from `<linux/udp.h>`.
    static let udpLevel: Int32 = 17
    static let udpSegment: Int32 = 103
    /// Most bytes one segmented write may carry (UDP's 65,507-byte payload limit, with room).
    public static let maxBytes = 65_000

    /// The sender's own descriptor (a duplicate).
    let descriptor: CInt
    /// Segments are copied back to back here, so one iovec describes them; shared by the
    /// senders of one thread (it holds bytes only during a send).
    private let scratch: UDPSegmentBuffer
    /// Room for one control message carrying a UInt16 (CMSG_SPACE(2) on 64-bit Linux).
    private var control = [UInt8](repeating: 0, count: 24)
    public private(set) var datagramsSent = 0

    /// - Parameters:
    ///   - descriptor: a UDP socket; it is duplicated, the caller keeps its own.
    ///   - scratch: where segmented writes are assembled: one per thread is enough.
    public init(duplicating descriptor: CInt, scratch: UDPSegmentBuffer = UDPSegmentBuffer()) throws(UDPSocketError) {
        self.scratch = scratch
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw UDPSocketError(call: "fcntl(F_DUPFD_CLOEXEC)", code: errno) }
        self.descriptor = copy
    }

    deinit { close(descriptor) }

    /// Sends `datagrams` to `destination`: one datagram, or several as one segmented write
    /// (each but the last exactly as long as the first, the last no longer, at most 64 and
    /// ``maxBytes`` in all — the caller groups them so).
    public func send(_ datagrams: some Collection<[UInt8]>, to destination: TransportAddress) -> Outcome {
        guard let first = datagrams.first else { return .sent }
        let address = SocketAddressStorage(destination)
        let result: Int
        if datagrams.count == 1 {
            result = first.withUnsafeBytes { bytes in
                address.withPointer { sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, $1) }
            }
        } else {
            var length = 0
            for datagram in datagrams where !datagram.isEmpty {
                guard length + datagram.count <= scratch.bytes.count else { return .failed(EMSGSIZE) }
                scratch.bytes.withUnsafeMutableBytes { target in
                    datagram.withUnsafeBytes { target.baseAddress!.advanced(by: length).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                }
                length += datagram.count
            }
            result = segmentedWrite(length: length, segmentSize: first.count, address: address)
        }
        guard result < 0 else {
            datagramsSent += datagrams.count
            return .sent
        }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        case let code where datagrams.count > 1 && (code == EIO || code == EINVAL): return .segmentationRefused
        case let code: return .failed(code)
        }
    }

    /// `sendmsg` of the scratch bytes with a `UDP_SEGMENT` control message.
    private func segmentedWrite(length: Int, segmentSize: Int, address: SocketAddressStorage) -> Int {
        control.withUnsafeMutableBytes { control in
            control.initializeMemory(as: UInt8.self, repeating: 0)
            let header = control.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
            header.pointee.cmsg_len = MemoryLayout<cmsghdr>.size + 2
            header.pointee.cmsg_level = Self.udpLevel
            header.pointee.cmsg_type = Self.udpSegment
            control.storeBytes(of: UInt16(segmentSize), toByteOffset: MemoryLayout<cmsghdr>.size, as: UInt16.self)
            return scratch.bytes.withUnsafeMutableBytes { bytes in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: length)
                return address.withPointer { name, nameLength in
                    withUnsafeMutablePointer(to: &vector) { vector in
                        var message = msghdr()
                        message.msg_name = UnsafeMutableRawPointer(mutating: name)
                        message.msg_namelen = nameLength
                        message.msg_iov = vector
                        message.msg_iovlen = 1
                        message.msg_control = control.baseAddress
                        message.msg_controllen = control.count
                        return sendmsg(descriptor, &message, Int32(MSG_DONTWAIT))
                    }
                }
            }
        }
    }
}

/// The 65,000 bytes a segmented write is assembled in (``UDPDatagramSender``). A connection
/// used to carry one per socket; the senders of one event loop share one.
public final class UDPSegmentBuffer {
    var bytes = [UInt8](repeating: 0, count: UDPDatagramSender.maxBytes)

    public init() {}
}
