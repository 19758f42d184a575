import Glibc
import NetworkAddress

/// A socket call that failed, with its errno.
public struct UDPSocketError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var code: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// UDP sockets peergate binds itself, so that it keeps a descriptor of its own for sends
/// (``UDPDatagramSender``) while an event loop reads from the socket. Non-blocking,
/// close-on-exec, and without SO_REUSEADDR: a socket never shares its port.
public enum UDPSocket {
    /// The receive buffer asked for: a polled socket (read every 100 ms) must hold what
    /// arrives between reads, a large keyframe's burst included (Linux's default of 208 KiB
    /// is about 90 full-size datagrams). The kernel caps it at `net.core.rmem_max` unless the
    /// process has CAP_NET_ADMIN.
    public static let receiveBufferBytes: Int32 = 1 << 20

    /// A bound socket's descriptor and its port (the one picked when `port` is 0). The
    /// caller owns the descriptor (an event loop takes it over).
    /// - Parameter receiveBuffer: bytes of receive buffer to ask for.
    public static func bind(_ address: TransportAddress, receiveBuffer: Int32 = receiveBufferBytes) throws(UDPSocketError) -> (descriptor: CInt, port: UInt16) {
        let family = address.ip.isIPv4 ? AF_INET : AF_INET6
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw UDPSocketError(call: "socket", code: errno) }
        // Best effort: past `net.core.rmem_max` where the process may (CAP_NET_ADMIN, socket(7)
        // SO_RCVBUFFORCE), else up to it; a smaller buffer still works.
        var size = receiveBuffer
        if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = SocketAddressStorage(address).withPointer { Glibc.bind(descriptor, $0, $1) }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw UDPSocketError(call: "bind \(address)", code: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(descriptor)
            throw UDPSocketError(call: "getsockname", code: code)
        }
        let port = withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        return (descriptor, port)
    }
}

extension TransportAddress {
    /// The `sockaddr_in` of an IPv4 address, built from its bytes (no text formatting).
    public var ipv4SocketAddress: sockaddr_in? {
        guard case .v4(let value) = ip else { return nil }
        var raw = sockaddr_in()
        raw.sin_family = sa_family_t(AF_INET)
        raw.sin_port = port.bigEndian
        raw.sin_addr.s_addr = value.bigEndian
        return raw
    }

    /// The `sockaddr_in6` of an IPv6 address, built from its bytes.
    public var ipv6SocketAddress: sockaddr_in6? {
        guard case .v6 = ip else { return nil }
        var raw = sockaddr_in6()
        raw.sin6_family = sa_family_t(AF_INET6)
        raw.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &raw.sin6_addr) { pointer in
            for (index, byte) in ip.bytes.enumerated() { pointer[index] = byte }
        }
        return raw
    }
}

/// A `sockaddr_in` or `sockaddr_in6` in a `sockaddr_storage`, for the socket calls.
struct SocketAddressStorage {
    private var storage = sockaddr_storage()
    let length: socklen_t

    init(_ address: TransportAddress) {
        if let raw = address.ipv4SocketAddress {
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: raw) { target.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            let raw = address.ipv6SocketAddress ?? sockaddr_in6()
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: raw) { target.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }

    func withPointer<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}
