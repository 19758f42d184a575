import Foundation
import Hummingbird
import SigV4

/// Requires AWS Signature Version 4 on every request except the public health and
/// metrics endpoints, the API description, the console's static files, the login
/// endpoint and the WebSocket path (whose presigned URL is verified at upgrade). A valid
/// console session cookie stands for a signature; with `auth.anonymousRead`, reads of
/// recordings need neither. A refusal is 403 AccessDeniedException saying what was wrong.
struct SigV4AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let verifier: SigV4Verifier
    let maxBodyBytes: Int
    let sessions: ConsoleSessions
    let anonymousRead: Bool
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/session"]

    /// Reads of recordings (`auth.anonymousRead` opens these to everyone).
    static func isRecordingsRead(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let path = request.uri.path
        if path == "/v1/recordings" || path == "/v1/storage" || path.hasPrefix("/v1/recordings/") || path.hasPrefix("/v1/segments/") { return true }
        let parts = path.split(separator: "/")
        return parts.count == 4 && parts[0] == "v1" && parts[1] == "channels"
            && ["recordings", "segments", "playback.mp4", "playback.webm", "playback.m3u8"].contains(parts[3])
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !Self.publicPaths.contains(path), !(request.method == .get && (path == "/" || path == "/console" || path.hasPrefix("/console/"))) else {
            return try await next(request, context)
        }
        if let token = ConsoleSessions.token(cookieHeader: request.headers[.cookie]), let session = sessions.verify(token, now: Int(Date().timeIntervalSince1970)) {
            var context = context
            context.accessKeyId = session.accessKeyId
            return try await next(request, context)
        }
        if anonymousRead, Self.isRecordingsRead(request), request.headers[.authorization] == nil, request.uri.queryParameters["X-Amz-Signature"] == nil {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.body.collect(upTo: maxBodyBytes)
        request.body = .init(buffer: body)
        var context = context
        do throws(SigV4Failure) {
            context.accessKeyId = try verifier.verify(SigV4Request(request, body: Array(buffer: body)), now: Int(Date().timeIntervalSince1970))
        } catch {
            return KVSResponse.error(.accessDenied(error.message))
        }
        return try await next(request, context)
    }
}
