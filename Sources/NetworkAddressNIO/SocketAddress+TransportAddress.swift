#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NetworkAddress
import UDPSockets

/// Conversions between NIO socket addresses and peergate's `TransportAddress`.
extension SocketAddress {
    /// A socket address built from raw bytes (no text formatting on the data path).
    public init(_ address: TransportAddress) {
        if let raw = address.ipv4SocketAddress {
            self = SocketAddress(raw, host: "")
        } else {
            self = SocketAddress(address.ipv6SocketAddress ?? sockaddr_in6(), host: "")
        }
    }

    /// The IP address and port, nil for Unix-domain addresses.
    public var transportAddress: TransportAddress? {
        switch self {
        case .v4(let address):
            return TransportAddress(ip: .v4(UInt32(bigEndian: address.address.sin_addr.s_addr)), port: UInt16(bigEndian: address.address.sin_port))
        case .v6(let address):
            var raw = address.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            guard let ip = IPAddress(bytes: bytes) else { return nil }
            return TransportAddress(ip: ip, port: UInt16(bigEndian: address.address.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }
}
