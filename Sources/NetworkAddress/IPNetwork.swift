/// A CIDR block: an address and a prefix length.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(address: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= (address.isIPv4 ? 32 : 128) else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix` (a bare address is a /32 or /128).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : (address.isIPv4 ? 32 : 128)
        guard let length else { return nil }
        self.init(address: address, prefixLength: length)
    }

    /// Whether `ip` (of the same family) lies in this block.
    public func contains(_ ip: IPAddress) -> Bool {
        switch (address, ip) {
        case (.v4(let network), .v4(let candidate)):
            guard prefixLength > 0 else { return true }
            let mask = UInt32.max << (32 - prefixLength)
            return network & mask == candidate & mask
        case (.v6(let networkHigh, let networkLow), .v6(let high, let low)):
            if prefixLength <= 64 {
                guard prefixLength > 0 else { return true }
                let mask = UInt64.max << (64 - prefixLength)
                return networkHigh & mask == high & mask
            }
            let mask = prefixLength == 128 ? UInt64.max : UInt64.max << (128 - prefixLength)
            return networkHigh == high && networkLow & mask == low & mask
        default:
            return false
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
