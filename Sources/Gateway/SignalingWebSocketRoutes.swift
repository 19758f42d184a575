import ControlPlane
import KVSAPI
import Hummingbird
import HummingbirdWebSocket
import Logging
import Signaling

/// The KVS signaling WebSocket at `/`: relay text frames through the ``SignalingService``
/// and write what it queues for this connection.
///
/// A request that is not admitted (bad or expired signature, unknown channel, channel full)
/// is still upgraded — Hummingbird answers refused upgrades with an empty 400, which would
/// hide the reason — and then gets a STATUS_RESPONSE naming the KVS exception and a close
/// frame with code 4000 + the HTTP status of that exception (4403 AccessDenied,
/// 4404 ResourceNotFound, 4400 InvalidArgument or ClientLimitExceeded) and the reason
/// `<Exception>: <message>`. A plain GET gets the same error as an HTTP response.
struct SignalingWebSocketRoutes {
    let admission: SignalingAdmission
    let service: SignalingService
    /// Largest message read from a peer; bigger ones close that connection.
    static let maxMessageBytes = 64 * 1024

    /// The route on the WebSocket router (consulted for upgrade requests).
    func register(onWebSocketRouter router: Router<GatewayRequestContext>) {
        let admission = self.admission
        let service = self.service
        router.ws("/") { request, _ in
            // Clients built on the KVS C SDK ask for the "wss" subprotocol and expect it selected.
            let offered = request.headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            return .upgrade(offered.contains("wss") ? [.secWebSocketProtocol: "wss"] : [:])
        } onUpgrade: { inbound, outbound, context in
            let admitted: SignalingAdmission.Admitted
            switch admission.check(context.request) {
            case .success(let value): admitted = value
            case .failure(let error):
                try await Self.refuse(error, outbound: outbound)
                return
            }
            let session: SignalingService.Session
            do {
                session = try service.open(channelARN: admitted.channel.arn, messageTTL: Double(admitted.channel.messageTtlSeconds), peer: admitted.peer)
            } catch {
                try await Self.refuse(.clientLimitExceeded("The channel already has \(service.limits.maxViewers) viewers"), outbound: outbound)
                return
            }
            defer { service.disconnect(session.id) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in session.outbound {
                        switch item {
                        case .text(let text): try await outbound.write(.text(text))
                        case .close(let reason): try await outbound.close(.goingAway, reason: reason); return
                        }
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                        if case .text(let text) = message { service.receive(session.id, text: text) }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    private static func refuse(_ error: KVSError, outbound: WebSocketOutboundWriter) async throws {
        let status = ServerMessage.StatusResponse(correlationId: "", errorType: error.name, statusCode: String(error.status), description: error.message)
        try await outbound.write(.text(ServerMessage(messageType: .statusResponse, statusResponse: status).json()))
        let reason = String("\(error.name): \(error.message)".utf8.prefix(123)) ?? error.name
        try await outbound.close(.unknown(UInt16(4000 + error.status)), reason: reason)
    }

    /// On the HTTP router: a GET of `/` without upgrade gets the KVS error that would
    /// refuse it, or an invalid-argument error asking for the upgrade.
    func register(onHTTPRouter router: Router<GatewayRequestContext>) {
        let admission = self.admission
        router.get("/") { request, _ in
            switch admission.check(request) {
            case .failure(let error): return KVSResponse.error(error)
            case .success: return KVSResponse.error(.invalidArgument("connect with a WebSocket upgrade"))
            }
        }
    }
}
