import Foundation
import Hummingbird
import SigV4

/// Requires AWS Signature Version 4 on every request except the public health and
/// metrics endpoints and the WebSocket path (whose presigned URL is verified at upgrade).
/// A refusal is 403 AccessDeniedException saying what was wrong.
struct SigV4AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let verifier: SigV4Verifier
    let maxBodyBytes: Int
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.publicPaths.contains(request.uri.path), !(request.method == .get && request.uri.path == "/") else {
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
