import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import RecordingsAPI
import Testing

/// Starting and stopping a channel's recorder through the API (the recording itself is
/// covered end to end in `RecordingsAPIEndToEndTests`).
@Suite struct RecorderRoutesTests {
    @Test func startListStop() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        try gateway.environment.ensureChannel("cam-1")
        try await gateway.application().test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: uri, method: method, headers: RecordedChannelFixture.signed(uri, method: method.rawValue, gateway: gateway, bodyText: body ?? ""),
                    body: body.map { ByteBuffer(string: $0) }
                ) { ($0.status, String(buffer: $0.body)) }
            }
            let (missing, why) = try await call(.put, "/v1/channels/nope/recorder")
            #expect(missing == .notFound && why.contains("no signaling channel nope"))
            let (badRole, _) = try await call(.put, "/v1/channels/cam-1/recorder", #"{"role":"spectator"}"#)
            #expect(badRole == .badRequest)
            let (created, body) = try await call(.put, "/v1/channels/cam-1/recorder", #"{"role":"master"}"#)
            #expect(created == .created)
            let recorder = try JSONDecoder().decode(RecordingsAPI.Recorder.self, from: Data(body.utf8))
            #expect(recorder.channel == "cam-1" && recorder.role == "master" && recorder.origin == "api")
            let (again, conflict) = try await call(.put, "/v1/channels/cam-1/recorder")
            #expect(again == .conflict && conflict.contains("already being recorded"))
            let (listed, list) = try await call(.get, "/v1/recorders")
            #expect(listed == .ok)
            #expect(try JSONDecoder().decode(RecordingsAPI.RecorderList.self, from: Data(list.utf8)).recorders == [recorder])
            let (stopped, _) = try await call(.delete, "/v1/channels/cam-1/recorder")
            #expect(stopped == .noContent)
            let (notRunning, _) = try await call(.delete, "/v1/channels/cam-1/recorder")
            #expect(notRunning == .notFound)
            #expect(gateway.environment.recorders.list().isEmpty)
        }
    }
}
