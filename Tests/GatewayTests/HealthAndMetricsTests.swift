import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HealthAndMetricsTests {
    @Test func healthzAnswersOK() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == #"{"status":"ok","version":"\#(PeerGateVersion.current)"}"#)
            }
        }
    }

    @Test func readyzWaitsForEveryCondition() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        fixture.environment.readiness.expect("http", reason: "not listening yet")
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("not listening yet"))
            }
            fixture.environment.readiness.markReady("http")
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
        }
    }

    @Test func metricsArePrometheusTextIncludingRequestsServed() async throws {
        let fixture = try GatewayFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE peergate_build_info gauge"))
                #expect(text.contains(#"peergate_build_info{version="\#(PeerGateVersion.current)"} 1"#))
                #expect(text.contains(#"http_server_request_duration_count{http_route="/healthz""#))
                #expect(text.contains("process_resident_memory_bytes "))
                #expect(text.contains("process_open_fds "))
                #expect(text.contains("peergate_signaling_connections"))
            }
        }
    }

    @Test func oversizedBodyIsRefusedWith413() async throws {
        let fixture = try GatewayFixture(overrides: ["http.maxBodyBytes=1024"])
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let body = ByteBuffer(repeating: 0x41, count: 2048)
            try await client.execute(uri: "/healthz", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}
