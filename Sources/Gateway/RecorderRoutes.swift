import Foundation
import HTTPTypes
import Hummingbird
import PeerGateConfig
import RecordingsAPI

/// Start and stop recording a channel: `PUT /v1/channels/{name}/recorder` (body
/// `{"role": "viewer"|"master"}`, viewer by default), `DELETE` to stop, `GET /v1/recorders`.
struct RecorderRoutes {
    let environment: GatewayEnvironment

    func register(on router: Router<GatewayRequestContext>) {
        let environment = self.environment
        let registry = environment.recorders
        router.get("/v1/recorders") { _, _ in
            RecordingsResponse.json(RecordingsAPI.RecorderList(recorders: registry.list().map(Self.model)))
        }
        router.put("/v1/channels/:name/recorder") { request, context in
            let body = try await request.body.collect(upTo: 4096)
            return RecordingsResponse.answer {
                let name = try RecordingsRoutes.channel(context)
                let input = body.readableBytes == 0 ? RecordingsAPI.StartRecorder(role: nil) : try? JSONDecoder().decode(RecordingsAPI.StartRecorder.self, from: Data(buffer: body))
                guard let input, let role = PeerGateConfig.PeerRole(rawValue: input.role ?? "viewer") else {
                    throw RecordingsAPIError.badRequest("the body must be {\"role\": \"viewer\"} or {\"role\": \"master\"}")
                }
                guard (try? environment.channels.channel(named: name)) != nil else { throw RecordingsAPIError.notFound("there is no signaling channel \(name)") }
                try registry.start(channel: name, role: role, origin: "api", environment: environment)
                let entry = registry.list().first { $0.channel == name }
                return RecordingsResponse.json(entry.map(Self.model), status: .created)
            }
        }
        router.delete("/v1/channels/:name/recorder") { _, context in
            let name: String
            do throws(RecordingsAPIError) {
                name = try RecordingsRoutes.channel(context)
            } catch {
                return RecordingsResponse.error(error)
            }
            guard await registry.stop(channel: name) else { return RecordingsResponse.error(.notFound("\(name) is not being recorded")) }
            return Response(status: .noContent)
        }
    }

    static func model(_ entry: RecorderRegistry.Entry) -> RecordingsAPI.Recorder {
        .init(channel: entry.channel, role: entry.role.rawValue, since: RFC3339Time.format(entry.since), origin: entry.origin)
    }
}
