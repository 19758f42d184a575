import Foundation
import HTTPTypes
import Hummingbird
import RecordingsAPI

/// Web console login: `POST /v1/session` with an access key id and its secret sets the
/// session cookie; `GET` says who is logged in; `DELETE` clears the cookie.
struct SessionRoutes {
    let environment: GatewayEnvironment

    struct Login: Decodable {
        var accessKeyId: String
        var secretAccessKey: String
    }

    struct Session: Encodable {
        var accessKeyId: String
        var expires: String
    }

    func register(on router: Router<GatewayRequestContext>) {
        let sessions = environment.sessions
        let secure = environment.config.http.tls != nil
        let lifetime = environment.config.auth.sessionHours * 3600
        router.post("/v1/session") { request, _ in
            let body = try await request.body.collect(upTo: 4096)
            guard let login = try? JSONDecoder().decode(Login.self, from: Data(buffer: body)) else {
                return RecordingsResponse.error(.badRequest("send {\"accessKeyId\": …, \"secretAccessKey\": …} as JSON"))
            }
            let now = Int(Date().timeIntervalSince1970)
            guard let session = sessions.login(accessKeyId: login.accessKeyId, secret: login.secretAccessKey, now: now) else {
                environment.logger.notice("console login refused", metadata: ["accessKeyId": "\(login.accessKeyId.prefix(128))"])
                return RecordingsResponse.json(RecordingsAPI.ErrorBody(error: "AccessDenied", message: "the access key id or the secret is wrong"), status: .forbidden)
            }
            var response = RecordingsResponse.json(Session(accessKeyId: login.accessKeyId, expires: RFC3339Time.format(Int64(session.expires) * 1_000_000)))
            response.headers[.setCookie] = ConsoleSessions.cookie(session.token, maxAge: lifetime, secure: secure)
            return response
        }
        router.get("/v1/session") { request, _ in
            let now = Int(Date().timeIntervalSince1970)
            guard let token = ConsoleSessions.token(cookieHeader: request.headers[.cookie]), let session = sessions.verify(token, now: now) else {
                return RecordingsResponse.json(RecordingsAPI.ErrorBody(error: "AccessDenied", message: "not logged in"), status: .forbidden)
            }
            return RecordingsResponse.json(Session(accessKeyId: session.accessKeyId, expires: RFC3339Time.format(Int64(session.expires) * 1_000_000)))
        }
        router.delete("/v1/session") { _, _ in
            var response = Response(status: .noContent)
            response.headers[.setCookie] = ConsoleSessions.cookie("", maxAge: 0, secure: secure)
            return response
        }
    }
}
