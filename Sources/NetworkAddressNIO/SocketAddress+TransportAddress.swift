#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NetworkAddress

/// Conversions between NIO socket addresses and peergate's `TransportAddress`.
extension SocketAddress {
    /// A socket address built from raw bytes (no text formatting on the data path).
    public init(_ address: TransportAddress) {
        switch address.ip {
        case .v4(let value):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = address.port.bigEndian
            raw.sin_addr.s_addr = value.bigEndian
            self = SocketAddress(raw, host: "")
        case .v6:
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &raw.sin6_addr) { pointer in
                for (index, byte) in address.ip.bytes.enumerated() { pointer[index] = byte }
            }
            self = SocketAddress(raw, host: "")
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
