import Hummingbird

/// Refuses request bodies larger than `http.maxBodyBytes` with 413 before any route
/// reads them: by `Content-Length` when given, else by collecting at most the limit.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init) {
            guard length <= maxBytes else { throw tooLarge }
            return try await next(request, context)
        }
        guard request.method != .get, request.method != .head else {
            return try await next(request, context)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw tooLarge
        }
        request.body = .init(buffer: body)
        return try await next(request, context)
    }

    private var tooLarge: HTTPError {
        HTTPError(.contentTooLarge, message: "request body larger than \(maxBytes) bytes")
    }
}
