import Foundation
import HTTPTypes
import Hummingbird
import KVSAPI
import RecordingsAPI
import SigV4
import Storage

/// What the web console needs beyond the recordings API: the channels with their live
/// state, and a short-lived presigned signaling URL (with ICE servers) to watch a channel
/// as a viewer, so the browser never holds a secret key.
struct ConsoleRoutes {
    let environment: GatewayEnvironment
    /// Lifetime of an issued viewer URL (it only has to open the WebSocket).
    static let viewerURLSeconds = 300

    struct ChannelState: Codable, Sendable {
        var name: String
        var arn: String
        var masterConnected: Bool
        var viewers: Int
        var recording: Bool
        var recorderRole: String?
        var recordedBytes: Int64
    }

    struct ViewerURL: Codable, Sendable {
        var url: String
        var clientId: String
        var channelARN: String
        var iceServers: [SignalingAPI.IceServer]
        var expires: String
    }

    func register(on router: Router<GatewayRequestContext>) {
        let environment = self.environment
        router.get("/v1/console/channels") { _, _ in
            RecordingsResponse.answer {
                var channels: [ChannelState] = []
                var after: Int64 = 0
                let recorded = Dictionary(try environment.recordings.channelSummaries().map { ($0.channel, $0.bytes) }) { first, _ in first }
                let recorders = Dictionary(environment.recorders.list().map { ($0.channel, $0) }) { first, _ in first }
                repeat {
                    let page = try environment.channels.list(prefix: nil, after: after, limit: 500)
                    for channel in page.channels {
                        let presence = environment.signaling.presence(channelARN: channel.arn)
                        channels.append(
                            ChannelState(
                                name: channel.name, arn: channel.arn, masterConnected: presence.master, viewers: presence.viewers,
                                recording: recorders[channel.name] != nil, recorderRole: recorders[channel.name]?.role.rawValue,
                                recordedBytes: recorded[channel.name] ?? 0))
                    }
                    guard let next = page.next else { break }
                    after = next
                } while channels.count < 10_000
                return RecordingsResponse.json(["channels": channels])
            }
        }
        router.get("/v1/channels/:name/viewer-url") { request, context in
            RecordingsResponse.answer {
                let name = try RecordingsRoutes.channel(context)
                guard let channel = try environment.channels.channel(named: name) else { throw RecordingsAPIError.notFound("there is no signaling channel \(name)") }
                guard let key = context.accessKeyId, let credentials = environment.credentials.accessKeys.first(where: { $0.accessKeyId == key }) else {
                    throw RecordingsAPIError.badRequest("log in (or sign the request) to get a viewer URL")
                }
                let clientId = "console-" + ServerSecrets.random(length: 12, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
                let host = request.head.authority ?? "\(environment.config.http.host):\(environment.config.http.port)"
                let query: [(name: String, value: String)] = [("X-Amz-ChannelARN", channel.arn), ("X-Amz-ClientId", clientId)]
                let now = Int(Date().timeIntervalSince1970)
                let presigned = SigV4Signer(credentials: credentials, scope: SigV4Scope(region: environment.config.auth.region, service: "kinesisvideo"))
                    .presignedQuery(SigV4Request(method: "GET", path: "/", query: query, headers: [("host", host)]), at: now, expires: Self.viewerURLSeconds)
                let scheme = environment.config.http.tls == nil ? "ws" : "wss"
                let ice = try environment.iceServers.iceServers(.init(ChannelARN: channel.arn, ClientId: clientId, Service: "TURN"), accessKeyId: key)
                return RecordingsResponse.json(
                    ViewerURL(
                        url: "\(scheme)://\(host)/?" + presigned, clientId: clientId, channelARN: channel.arn,
                        iceServers: ice.IceServerList, expires: RFC3339Time.format(Int64(now + Self.viewerURLSeconds) * 1_000_000)))
            }
        }
    }
}
