import Foundation
import ICE
import KVSAPI
import KVSClient
import NetworkAddress
import Signaling
import WebRTC

/// How a gateway worker reaches a channel through a KVS-compatible control plane (this
/// peergate or another host): describe the channel, get its signaling endpoint and TURN
/// servers, and make a signaling client and a transport configuration for one session.
public struct ChannelConnector: Sendable {
    public enum Role: Sendable {
        case viewer(clientId: String)
        case master
    }

    public var endpoint: KVSClient.Endpoint
    public var channel: String
    public var role: Role
    /// Address for host candidates.
    public var bind: IPAddress
    public var relayOnly: Bool
    /// Where to reach the channel's TURN server instead of the address its `turn:` URIs
    /// name (a port forward or proxy in between); the issued credentials stay the same.
    public var turnAddress: TransportAddress?

    public init(endpoint: KVSClient.Endpoint, channel: String, role: Role, bind: IPAddress, relayOnly: Bool = false, turnAddress: TransportAddress? = nil) {
        self.endpoint = endpoint
        self.channel = channel
        self.role = role
        self.bind = bind
        self.relayOnly = relayOnly
        self.turnAddress = turnAddress
    }

    /// A signaling client of the channel (not yet running) and a transport configuration
    /// with the channel's TURN servers (fresh credentials each time).
    public func connect() async throws -> (SignalingClient, WebRTCTransportConfiguration) {
        let (signaling, configuration, _) = try await connectWithLifetime()
        return (signaling, configuration)
    }

    /// As ``connect()``, with a configuration that renews its TURN credentials before they
    /// expire, for a master that makes PeerConnections for as long as it runs.
    public func connectRenewing() async throws -> (SignalingClient, TransportConfigurationSource) {
        let (signaling, configuration, lifetime) = try await connectWithLifetime()
        let source = TransportConfigurationSource(configuration: configuration, lifetime: lifetime) {
            let (_, fresh, lifetime) = try await connectWithLifetime()
            return (fresh, lifetime)
        }
        return (signaling, source)
    }

    /// The signaling client, the transport configuration and how long its TURN credentials
    /// last (the shortest `Ttl` of the ICE servers; nil without any).
    private func connectWithLifetime() async throws -> (SignalingClient, WebRTCTransportConfiguration, Duration?) {
        let client = try KVSClient(endpoint: endpoint)
        do {
            let roleName = if case .master = role { "MASTER" } else { "VIEWER" }
            let target = try await client.signalingTarget(channelName: channel, role: roleName)
            let clientId = if case .viewer(let id) = role { id } else { "peergate-master" }
            let iceServers = try await client.getIceServerConfig(.init(ChannelARN: target.arn, ClientId: clientId, Service: "TURN")).IceServerList
            try? await client.shutdown()
            var configuration = WebRTCTransportConfiguration(interfaces: [WebRTCHostInterface(bindAddress: bind)])
            configuration.ice.turnServers = Self.reaching(iceServers.flatMap(Self.turnServers), at: turnAddress)
            if relayOnly { configuration.ice.policy = .relay }
            let signalingRole: SignalingPeer = if case .viewer(let id) = role { .viewer(clientId: id) } else { .master }
            let signaling = SignalingClient(configuration: SignalingClientConfiguration(
                endpoint: target.wss, channelARN: target.arn, role: signalingRole, credentials: endpoint.credentials, region: endpoint.region,
                trustedCertificateFile: endpoint.trustedCertificateFile))
            let lifetime = iceServers.map(\.Ttl).min().map { Duration.seconds(max($0, 0)) }
            return (signaling, configuration, lifetime)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `servers` reached at `address` (one entry per credential), or unchanged without one.
    public static func reaching(_ servers: [ICETURNServer], at address: TransportAddress?) -> [ICETURNServer] {
        guard let address else { return servers }
        var seen = Set<String>()
        return servers.compactMap { server in
            guard seen.insert(server.username + "\u{0}" + server.password).inserted else { return nil }
            return ICETURNServer(address: address, username: server.username, password: server.password)
        }
    }

    /// TURN servers of an ICE server entry: `turn:` URIs over UDP with an IP host
    /// (`turns:` and TCP are not used by peergate's transport).
    public static func turnServers(_ server: SignalingAPI.IceServer) -> [ICETURNServer] {
        server.Uris.compactMap { uri in
            guard uri.hasPrefix("turn:"), !uri.contains("transport=tcp") else { return nil }
            let hostPort = uri.dropFirst("turn:".count).split(separator: "?").first.map(String.init) ?? ""
            guard let address = TransportAddress(hostPort) else { return nil }
            return ICETURNServer(address: address, username: server.Username, password: server.Password)
        }
    }
}
