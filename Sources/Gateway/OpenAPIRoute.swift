import BundledFiles
import Hummingbird

/// `GET /openapi.yaml`: the recordings API's OpenAPI 3.1 description (`Config/openapi.yaml`,
/// compiled into the binary), public like the health endpoints.
struct OpenAPIRoute {
    func register(on router: Router<GatewayRequestContext>) {
        let text = BundledFiles.openAPIYAML
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml", .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
