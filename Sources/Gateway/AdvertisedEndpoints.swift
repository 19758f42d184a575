import Locking
import PeerGateConfig

/// The URLs and ports this server tells clients to use: `http.publicURL` when configured,
/// else the scheme, host and bound port of the HTTP listener; STUN/TURN from the `turn`
/// section (its host, or the public URL's host when it binds a wildcard address).
public final class AdvertisedEndpoints: Sendable {
    private let config: PeerGateConfig
    private let ports: LockedState<[String: Int]>

    public init(config: PeerGateConfig) {
        self.config = config
        ports = LockedState(["http": config.http.port, "turn": config.turn.port, "turnTLS": config.turn.tlsPort])
    }

    /// Records the port a listener actually bound (port 0 configurations).
    public func bound(_ listener: String, port: Int) {
        ports.withLock { $0[listener] = port }
    }

    public var httpPort: Int { ports.withLock { $0["http"] ?? config.http.port } }

    /// `https://host[:port]` (or `http://` without TLS), no trailing slash.
    public var httpsURL: String {
        if let publicURL = config.http.publicURL { return publicURL }
        let scheme = config.http.tls == nil ? "http" : "https"
        return "\(scheme)://\(Self.urlHost(Self.reachableHost(config.http.host))):\(httpPort)"
    }

    /// The WebSocket form of ``httpsURL``: `wss://…` (or `ws://`).
    public var wssURL: String {
        let https = httpsURL
        if https.hasPrefix("https://") { return "wss://" + https.dropFirst("https://".count) }
        return "ws://" + https.dropFirst("http://".count)
    }

    /// Host and ports of the STUN/TURN listeners for ICE server URIs.
    public var turnHost: String {
        let host = config.turn.host
        guard host == "0.0.0.0" || host == "::" else { return host }
        if let publicURL = config.http.publicURL, let host = Self.host(ofURL: publicURL) { return host }
        return "127.0.0.1"
    }

    public var turnPort: Int { ports.withLock { $0["turn"] ?? config.turn.port } }
    public var turnTLSPort: Int? { config.http.tls == nil ? nil : ports.withLock { $0["turnTLS"] ?? config.turn.tlsPort } }

    /// A wildcard bind address is reached on loopback from this machine.
    private static func reachableHost(_ host: String) -> String {
        host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
    }

    static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    private static func host(ofURL url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        var authority = String(url[schemeEnd.upperBound...])
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":") { authority = String(authority[..<colon]) }
        return authority
    }
}
