import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Testing

/// Console logins (an HttpOnly, SameSite=Strict cookie standing for a signature) and
/// `auth.anonymousRead`.
@Suite struct ConsoleSessionTests {
    func login(_ client: some TestClientProtocol, _ gateway: GatewayFixture, secret: String? = nil) async throws -> TestResponse {
        let key = gateway.environment.credentials.accessKeys[0]
        let body = try JSONEncoder().encode(["accessKeyId": key.accessKeyId, "secretAccessKey": secret ?? key.secretAccessKey])
        return try await client.execute(uri: "/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
    }

    @Test func loginSetsACookieThatStandsForASignature() async throws {
        let gateway = try GatewayFixture(overrides: ["auth.sessionHours=2"])
        defer { gateway.remove() }
        try await gateway.application().test(.router) { client in
            let refused = try await login(client, gateway, secret: "not-the-secret-at-all")
            #expect(refused.status == .forbidden && refused.headers[.setCookie] == nil)
            let response = try await login(client, gateway)
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=7200") && cookie.contains("Path=/"))
            let pair = String(cookie.split(separator: ";")[0])
            try await client.execute(uri: "/v1/recordings", method: .get, headers: [.cookie: pair]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/session", method: .get, headers: [.cookie: pair]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(gateway.environment.credentials.accessKeys[0].accessKeyId))
            }
            // A token altered by one character is refused.
            var tampered = Array(pair)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
            try await client.execute(uri: "/v1/recordings", method: .get, headers: [.cookie: String(tampered)]) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/session", method: .delete) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/v1/recordings", method: .get) { #expect($0.status == .forbidden) }
        }
    }

    @Test func tokensExpireAndNeedTheirKeyToStillExist() throws {
        let sessions = ConsoleSessions(key: "k", lifetimeSeconds: 60) { $0 == "AKID1234567890AB" ? "secret-secret-secret" : nil }
        let session = try #require(sessions.login(accessKeyId: "AKID1234567890AB", secret: "secret-secret-secret", now: 1000))
        #expect(sessions.verify(session.token, now: 1059)?.accessKeyId == "AKID1234567890AB")
        #expect(sessions.verify(session.token, now: 1060) == nil)
        #expect(sessions.login(accessKeyId: "AKID1234567890AB", secret: "secret-secret-secre", now: 1000) == nil)
        #expect(sessions.login(accessKeyId: "UNKNOWN", secret: "secret-secret-secret", now: 1000) == nil)
        let otherServer = ConsoleSessions(key: "other", lifetimeSeconds: 60) { _ in "secret-secret-secret" }
        #expect(otherServer.verify(session.token, now: 1001) == nil)
        let keyRemoved = ConsoleSessions(key: "k", lifetimeSeconds: 60) { _ in nil }
        #expect(keyRemoved.verify(session.token, now: 1001) == nil)
        #expect(sessions.verify("", now: 1001) == nil && sessions.verify("a.b.c", now: 1001) == nil)
    }

    @Test func anonymousReadOpensReadsOnly() async throws {
        let gateway = try GatewayFixture(overrides: ["auth.anonymousRead=true"])
        defer { gateway.remove() }
        try await gateway.application().test(.router) { client in
            for uri in ["/v1/recordings", "/v1/storage", "/v1/channels/cam/segments", "/v1/channels/cam/recordings"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .ok, "\(uri)") }
            }
            try await client.execute(uri: "/v1/recordings/1", method: .delete) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/channels/cam/segments?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", method: .delete) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/listSignalingChannels", method: .post, body: ByteBuffer(string: "{}")) { #expect($0.status == .forbidden) }
        }
    }
}
