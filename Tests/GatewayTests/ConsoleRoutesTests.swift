import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's own endpoints and files, and the served OpenAPI description.
@Suite struct ConsoleRoutesTests {
    @Test func channelsWithLiveStateAndAViewerURL() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        try gateway.environment.ensureChannel("cam-1")
        try await gateway.application().test(.router) { client in
            let list = "/v1/console/channels"
            try await client.execute(uri: list, method: .get, headers: RecordedChannelFixture.signed(list, gateway: gateway)) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: [[String: Any]]]
                let channel = try #require(body?["channels"]?.first)
                #expect(channel["name"] as? String == "cam-1")
                #expect(channel["masterConnected"] as? Bool == false && channel["viewers"] as? Int == 0 && channel["recording"] as? Bool == false)
            }
            let issue = "/v1/channels/cam-1/viewer-url"
            try await client.execute(uri: issue, method: .get, headers: RecordedChannelFixture.signed(issue, gateway: gateway)) { response in
                #expect(response.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let url = try #require(body["url"] as? String)
                let clientId = try #require(body["clientId"] as? String)
                #expect(url.hasPrefix("ws://localhost/?X-Amz-ChannelARN=") && url.contains("X-Amz-ClientId=\(clientId)") && url.contains("X-Amz-Expires=300"))
                #expect(((body["iceServers"] as? [[String: Any]])?.first?["Uris"] as? [String])?.contains { $0.hasPrefix("turn:") } == true)
            }
            let missing = "/v1/channels/nope/viewer-url"
            try await client.execute(uri: missing, method: .get, headers: RecordedChannelFixture.signed(missing, gateway: gateway)) { #expect($0.status == .notFound) }
            try await client.execute(uri: list, method: .get) { #expect($0.status == .forbidden) }
        }
    }

    @Test func consoleFilesAndTheAPIDescriptionArePublic() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        try await gateway.application().test(.router) { client in
            for (uri, type, words) in [
                ("/console/", "text/html; charset=utf-8", "<title>peergate console</title>"), ("/console/console.js", "text/javascript; charset=utf-8", "watchChannel"),
                ("/console/peergate-signaling.js", "text/javascript; charset=utf-8", "export class SignalingClient"),
                ("/console/console.css", "text/css; charset=utf-8", "#timeline"), ("/openapi.yaml", "application/yaml", "openapi: 3.1.0"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == type, "\(uri)")
                    #expect(String(buffer: response.body).contains(words), "\(uri)")
                }
            }
            try await client.execute(uri: "/console/", method: .get) { response in
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            // Only the compiled-in files: nothing else under /console, whatever the name.
            for uri in ["/console/nothing.js", "/console/credentials", "/console/..%2F..%2Fcredentials", "/console/index.html%00.js"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound, "\(uri)") }
            }
        }
    }
}
