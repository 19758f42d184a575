import Hummingbird
import Signaling

/// Builds the routers of `peergate serve`: the HTTP router (middleware, then each
/// feature's routes) and the router consulted for WebSocket upgrades.
public enum GatewayRouter {
    public static func make(_ environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
        _ = ProcessMetrics.registry
        let router = Router(context: GatewayRequestContext.self)
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(BodyLimitMiddleware(maxBytes: environment.config.http.maxBodyBytes))
        router.middlewares.add(SigV4AuthMiddleware(verifier: environment.verifier, maxBodyBytes: environment.config.http.maxBodyBytes))
        HealthRoutes(environment: environment).register(on: router)
        MetricsRoute().register(on: router)
        ControlPlaneRoutes(controlPlane: environment.controlPlane).register(on: router)
        let offers = OfferRelay(
            store: environment.channels, service: environment.signaling, timeout: .seconds(environment.config.signaling.answerTimeoutSeconds))
        SignalingHTTPRoutes(iceServers: environment.iceServers, offers: offers).register(on: router)
        webSocketRoutes(environment).register(onHTTPRouter: router)
        return router
    }

    public static func makeWebSocketRouter(_ environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        webSocketRoutes(environment).register(onWebSocketRouter: router)
        return router
    }

    private static func webSocketRoutes(_ environment: GatewayEnvironment) -> SignalingWebSocketRoutes {
        SignalingWebSocketRoutes(
            admission: SignalingAdmission(verifier: environment.verifier, store: environment.channels, service: environment.signaling),
            service: environment.signaling)
    }
}
