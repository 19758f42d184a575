import NetworkAddress

/// Why an `a=candidate` value was not used.
public enum ICECandidateParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    /// TCP candidates (RFC 6544) and FQDN/mDNS addresses are not used by peergate.
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let text): "malformed ICE candidate: \(text)"
        case .unsupported(let text): "unsupported ICE candidate: \(text)"
        }
    }
}

extension ICECandidate {
    /// The longest candidate line accepted.
    public static let maxLength = 512

    /// Parses the value of `a=candidate` (RFC 8839 §5.1), with or without the
    /// `candidate:` prefix: foundation, component, transport, priority, address, port,
    /// `typ`, then `raddr`/`rport` and extensions (ignored).
    public init(sdpValue text: String) throws(ICECandidateParseError) {
        guard text.utf8.count <= Self.maxLength else { throw .malformed("longer than \(Self.maxLength) bytes") }
        var body = Substring(text)
        if body.hasPrefix("candidate:") { body = body.dropFirst("candidate:".count) }
        let fields = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 8, fields[6] == "typ", let component = Int(fields[1]), (1...256).contains(component),
            let priority = UInt32(fields[3]), let port = UInt16(fields[5]), !fields[0].isEmpty, fields[0].count <= 32
        else { throw .malformed(text) }
        guard fields[2].lowercased() == "udp" else { throw .unsupported("transport \(fields[2])") }
        guard let ip = IPAddress(fields[4]) else { throw .unsupported("address \(fields[4])") }
        guard let kind = Kind(rawValue: fields[7]) else { throw .malformed("type \(fields[7])") }
        var related: TransportAddress?
        var index = 8
        var relatedIP: IPAddress?
        while index + 1 < fields.count {
            switch fields[index] {
            case "raddr": relatedIP = IPAddress(fields[index + 1])
            case "rport": if let relatedIP, let port = UInt16(fields[index + 1]) { related = TransportAddress(ip: relatedIP, port: port) }
            default: break
            }
            index += 2
        }
        self.init(foundation: fields[0], component: component, priority: priority, address: TransportAddress(ip: ip, port: port), kind: kind, relatedAddress: related)
    }

    /// The `a=candidate` value, starting with `candidate:`.
    public var sdpValue: String {
        var text = "candidate:\(foundation) \(component) udp \(priority) \(address.ip) \(address.port) typ \(kind.rawValue)"
        if let relatedAddress { text += " raddr \(relatedAddress.ip) rport \(relatedAddress.port)" }
        return text + " generation 0"
    }
}
