import Foundation
import Hummingbird

/// `/healthz` (the process answers) and `/readyz` (every readiness condition holds and
/// the database answers a query), for load balancers and orchestrators.
struct HealthRoutes {
    let environment: GatewayEnvironment

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.json(status: .ok, ["status": "ok", "version": PeerGateVersion.current])
        }
        router.get("/readyz") { _, _ in
            var problems: [String: String] = [:]
            for condition in environment.readiness.snapshot {
                if let problem = condition.problem { problems[condition.name] = problem }
            }
            do {
                try environment.database.ping()
            } catch {
                problems["database"] = "\(error)"
            }
            if problems.isEmpty {
                return Self.json(status: .ok, ["status": "ready"])
            }
            var body = problems.mapValues { $0 }
            body["status"] = "not ready"
            return Self.json(status: .serviceUnavailable, body)
        }
    }

    static func json(status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(object)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
