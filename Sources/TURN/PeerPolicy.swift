import NetworkAddress

/// Which peer addresses relays may reach (RFC 8656 §21.4.1 asks servers to restrict
/// peers; this is peergate's SSRF guard).
///
/// Addresses are first reduced to the IPv4 address they embed — IPv4-mapped
/// `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, 6to4 `2002:AABB:CCDD::/16` (RFC 3056) and
/// NAT64 `64:ff9b::/96` (RFC 6052) — so that no spelling of a denied address passes. Denied
/// by default: "this network", loopback, private, link-local, shared (CGNAT), multicast,
/// reserved and broadcast ranges, and their IPv6 counterparts. Loopback and chosen CIDRs
/// can be allowed explicitly.
public struct PeerPolicy: Sendable {
    public static let deniedByDefault: [IPNetwork] = [
        "0.0.0.0/8", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap { IPNetwork($0) }

    static let loopback: [IPNetwork] = ["127.0.0.0/8", "::1/128"].compactMap { IPNetwork($0) }

    public let allowLoopback: Bool
    public let allowed: [IPNetwork]

    public init(allowLoopback: Bool = false, allowed: [IPNetwork] = []) {
        self.allowLoopback = allowLoopback
        self.allowed = allowed
    }

    /// Whether a relay may send to (and receive from) this address.
    public func permits(_ address: IPAddress) -> Bool {
        let canonical = Self.canonical(address)
        if allowed.contains(where: { $0.contains(canonical) || $0.contains(address) }) { return true }
        if allowLoopback, Self.loopback.contains(where: { $0.contains(canonical) }) { return true }
        return !Self.deniedByDefault.contains { $0.contains(canonical) }
    }

    /// The IPv4 address an IPv6 address embeds, if any; else the address itself.
    public static func canonical(_ address: IPAddress) -> IPAddress {
        guard case .v6(let high, let low) = address else { return address }
        let low32 = UInt32(truncatingIfNeeded: low)
        // ::ffff:a.b.c.d (IPv4-mapped, RFC 4291 §2.5.5.2)
        if high == 0, low >> 32 == 0xFFFF { return .v4(low32) }
        // ::a.b.c.d (IPv4-compatible, deprecated), except :: and ::1 themselves
        if high == 0, low >> 32 == 0, low32 > 1 { return .v4(low32) }
        // 64:ff9b::a.b.c.d (NAT64 well-known prefix, RFC 6052)
        if high == 0x0064_FF9B_0000_0000, low >> 32 == 0 { return .v4(low32) }
        // 2002:AABB:CCDD::/48 (6to4, RFC 3056): the IPv4 address is bits 16–47
        if high >> 48 == 0x2002 { return .v4(UInt32(truncatingIfNeeded: high >> 16)) }
        return address
    }
}
