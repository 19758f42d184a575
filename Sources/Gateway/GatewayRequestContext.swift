import Hummingbird
import HummingbirdWebSocket

/// The request context of every peergate route.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The access key id that signed the request, once ``SigV4AuthMiddleware`` verified it.
    public var accessKeyId: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}
