import BundledFiles
import Hummingbird

/// The web console's static files (plain HTML, CSS and JavaScript compiled into the
/// binary): `/console/` and `/console/<file>`. Public: the data they show comes from the
/// API, which needs the session cookie.
struct ConsoleFilesRoute {
    static let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]

    func register(on router: Router<GatewayRequestContext>) {
        let files = BundledFiles.consoleFiles
        // `/console` and `/console/` are one route to the router.
        router.get("/console") { _, _ in Self.file("index.html", files) }
        router.get("/console/:file") { _, context in Self.file(context.parameters.get("file") ?? "", files) }
    }

    static func file(_ name: String, _ files: [String: String]) -> Response {
        guard let text = files[name], let type = types[String(name.split(separator: ".").last ?? "")] else {
            return Response(status: .notFound, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "no such console file\n")))
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff",
                .contentSecurityPolicy: "default-src 'self'; media-src 'self' blob:; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
