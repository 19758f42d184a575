import SigV4

/// Where and as whom a ``SignalingClient`` connects.
public struct SignalingClientConfiguration: Sendable {
    /// The WSS endpoint of `GetSignalingChannelEndpoint` (`wss://host[:port]`, or `ws://`).
    public var endpoint: String
    public var channelARN: String
    /// `.master`, or `.viewer(clientId:)`.
    public var role: SignalingPeer
    public var credentials: SigV4Credentials
    public var region: String
    /// PEM file of the certificate authority that signs the server's certificate (a
    /// self-signed server); nil uses the system's roots.
    public var trustedCertificateFile: String?
    /// Validity of each presigned URL.
    public var urlExpiry: Int
    public var backoff: ReconnectBackoff
    /// The service's per-connection rates the client keeps under (KVS's: 5 SDP messages and
    /// 20 ICE candidates a second); see ``SignalingSendPacer``.
    public var sdpPerSecond = 5.0
    public var candidatesPerSecond = 20.0

    public init(
        endpoint: String, channelARN: String, role: SignalingPeer, credentials: SigV4Credentials, region: String,
        trustedCertificateFile: String? = nil, urlExpiry: Int = 300, backoff: ReconnectBackoff = ReconnectBackoff()
    ) {
        self.endpoint = endpoint
        self.channelARN = channelARN
        self.role = role
        self.credentials = credentials
        self.region = region
        self.trustedCertificateFile = trustedCertificateFile
        self.urlExpiry = urlExpiry
        self.backoff = backoff
    }

    /// The WebSocket URL with `X-Amz-ChannelARN` (and `X-Amz-ClientId` for a viewer),
    /// presigned with SigV4 for `kinesisvideo` at `now` (Unix seconds).
    public func presignedURL(now: Int) -> String {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        let host = Self.authority(of: base)
        var query: [(name: String, value: String)] = [("X-Amz-ChannelARN", channelARN)]
        if case .viewer(let clientId) = role { query.append(("X-Amz-ClientId", clientId)) }
        let request = SigV4Request(method: "GET", path: "/", query: query, headers: [("host", host)])
        let signer = SigV4Signer(credentials: credentials, scope: SigV4Scope(region: region, service: "kinesisvideo"))
        let signed = query + signer.presign(request, at: now, expires: urlExpiry)
        return "\(base)/?\(SigV4Signer.encodeQuery(signed))"
    }

    /// `host[:port]` of a URL, as its `Host` header carries it.
    static func authority(of url: String) -> String {
        guard let start = url.range(of: "://") else { return url }
        let rest = url[start.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" })
    }
}
