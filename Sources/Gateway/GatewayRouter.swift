import Hummingbird

/// Builds the router of `peergate serve`: middleware, then each feature's routes.
public enum GatewayRouter {
    public static func make(_ environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
        _ = ProcessMetrics.registry
        let router = Router(context: GatewayRequestContext.self)
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(BodyLimitMiddleware(maxBytes: environment.config.http.maxBodyBytes))
        HealthRoutes(environment: environment).register(on: router)
        MetricsRoute().register(on: router)
        return router
    }
}
