import Hummingbird
import Signaling

/// Builds the router of `peergate serve`: middleware, then each feature's routes.
public enum GatewayRouter {
    public static func make(_ environment: GatewayEnvironment) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(BodyLimitMiddleware(maxBytes: environment.config.http.maxBodyBytes))
        router.middlewares.add(
            SigV4AuthMiddleware(
                verifier: environment.verifier, maxBodyBytes: environment.config.http.maxBodyBytes, sessions: environment.sessions,
                anonymousRead: environment.config.auth.anonymousRead))
        HealthRoutes(environment: environment).register(on: router)
        MetricsRoute().register(on: router)
        ControlPlaneRoutes(controlPlane: environment.controlPlane).register(on: router)
        let offers = OfferRelay(
            store: environment.channels, service: environment.signaling, timeout: .seconds(environment.config.signaling.answerTimeoutSeconds))
        SignalingHTTPRoutes(iceServers: environment.iceServers, offers: offers).register(on: router)
        SignalingRefusalRoute(admission: signalingAdmission(environment)).register(on: router)
        RecordingsRoutes(environment: environment).register(on: router)
        SegmentFileRoute(environment: environment).register(on: router)
        SegmentTimelineRoute(environment: environment).register(on: router)
        PlaybackRoutes(environment: environment).register(on: router)
        SessionRoutes(environment: environment).register(on: router)
        RecorderRoutes(environment: environment).register(on: router)
        OpenAPIRoute().register(on: router)
        ConsoleRoutes(environment: environment).register(on: router)
        ConsoleFilesRoute().register(on: router)
        return router
    }

    /// Who may open a signaling WebSocket.
    static func signalingAdmission(_ environment: GatewayEnvironment) -> SignalingAdmission {
        SignalingAdmission(verifier: environment.verifier, store: environment.channels, service: environment.signaling)
    }
}
