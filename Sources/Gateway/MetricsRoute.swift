import Hummingbird

/// `/metrics`: every swift-metrics metric of the process in the Prometheus text format.
struct MetricsRoute {
    func register(on router: Router<GatewayRequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: ProcessMetrics.exposition())))
        }
    }
}
