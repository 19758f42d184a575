import NetworkAddress

/// Settings of the TURN server core (RFC 8656 defaults where it names them).
public struct TURNServerConfiguration: Sendable {
    /// REALM of the long-term credentials.
    public var realm = "peergate"
    /// The address relayed transport addresses are bound to and advertised with.
    public var relayAddress: IPAddress
    /// UDP ports for relays.
    public var relayPorts: ClosedRange<UInt16>
    /// Allocation lifetime when the client asks for none or for less (RFC 8656 §3.9: 600 s).
    public var defaultLifetime = 600
    /// Longest allocation lifetime granted (RFC 8656 §7.2 suggests 3600 s).
    public var maxLifetime = 3600
    /// Permissions last 300 s (RFC 8656 §9), channel bindings 600 s (§12).
    public var permissionLifetime = 300
    public var channelLifetime = 600
    /// Allocations one user may hold at once; beyond it 486 Allocation Quota Reached.
    public var maxAllocationsPerUser = 10
    /// Bytes per second one user's allocations may relay (both directions); 0 is unlimited.
    public var maxBytesPerSecondPerUser = 0
    /// Peers relays may reach.
    public var peerPolicy = PeerPolicy()
    /// SOFTWARE sent in responses.
    public var software: String? = nil

    public init(relayAddress: IPAddress, relayPorts: ClosedRange<UInt16>) {
        self.relayAddress = relayAddress
        self.relayPorts = relayPorts
    }
}

/// The transport a client reaches the server over.
public enum TURNTransport: String, Sendable, Hashable {
    case udp
    case tcp
    case tls

    /// Stream transports frame ChannelData to 4-byte multiples (RFC 8656 §12.5).
    public var isStream: Bool { self != .udp }
}

/// The 5-tuple identifying an allocation (RFC 8656 §2): transport, client address,
/// server address.
public struct TURNFiveTuple: Hashable, Sendable, CustomStringConvertible {
    public let transport: TURNTransport
    public let client: TransportAddress
    public let server: TransportAddress

    public init(transport: TURNTransport, client: TransportAddress, server: TransportAddress) {
        self.transport = transport
        self.client = client
        self.server = server
    }

    public var description: String { "\(transport) \(client)→\(server)" }
}

/// Identifies an allocation and its relay socket.
public struct AllocationID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public var description: String { "allocation #\(value)" }
}
