import NetworkAddress

/// An ICE candidate (RFC 8445 §5.1): a transport address where an agent can receive
/// media, its type, priority and foundation. Only UDP candidates are used.
public struct ICECandidate: Sendable, Hashable, CustomStringConvertible {
    /// Candidate types (RFC 8445 §5.1.1) with their recommended type preferences (§5.1.2.2).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case host
        case serverReflexive = "srflx"
        case peerReflexive = "prflx"
        case relayed = "relay"

        public var typePreference: UInt32 {
            switch self {
            case .host: 126
            case .peerReflexive: 110
            case .serverReflexive: 100
            case .relayed: 0
            }
        }
    }

    public var foundation: String
    /// Component 1 (RTP and RTCP are multiplexed, RFC 8843 / RFC 5761).
    public var component: Int
    public var priority: UInt32
    public var address: TransportAddress
    public var kind: Kind
    /// The base of a reflexive or relayed candidate (`raddr`/`rport`, RFC 8839 §5.1).
    public var relatedAddress: TransportAddress?

    public init(foundation: String, component: Int = 1, priority: UInt32, address: TransportAddress, kind: Kind, relatedAddress: TransportAddress? = nil) {
        self.foundation = foundation
        self.component = component
        self.priority = priority
        self.address = address
        self.kind = kind
        self.relatedAddress = relatedAddress
    }

    /// RFC 8445 §5.1.2.1: 2^24 · type preference + 2^8 · local preference + (256 − component).
    public static func priority(kind: Kind, localPreference: UInt32 = 65_535, component: Int = 1) -> UInt32 {
        (kind.typePreference << 24) | ((localPreference & 0xFFFF) << 8) | UInt32(256 - component)
    }

    /// RFC 8445 §5.1.1.3: candidates of one type, base IP and server share a foundation.
    public static func foundation(kind: Kind, baseIP: IPAddress, server: TransportAddress? = nil) -> String {
        var hash: UInt32 = 2_166_136_261  // FNV-1a over the identifying text
        for byte in "\(kind.rawValue)|\(baseIP)|\(server?.description ?? "")|udp".utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return String(hash % 1_000_000_000)
    }

    public var description: String { sdpValue }
}
