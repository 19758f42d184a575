import Hummingbird

/// The request context of every peergate route.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The access key id that signed the request, once ``SigV4AuthMiddleware`` verified it.
    public var accessKeyId: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
