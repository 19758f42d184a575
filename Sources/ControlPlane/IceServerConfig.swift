import Foundation
import TURN
import KVSAPI

/// `POST /v1/get-ice-server-config`: this server's STUN and TURN URIs with time-limited
/// TURN REST credentials (username `<expiry>:<client id or access key id>`).
public final class IceServerConfig: Sendable {
    /// Where the STUN/TURN listeners are reached.
    public struct Listeners: Sendable {
        public var host: String
        /// STUN and TURN over UDP and TCP.
        public var port: Int
        /// TURN over TLS, when a certificate is configured.
        public var tlsPort: Int?

        public init(host: String, port: Int, tlsPort: Int?) {
            self.host = host
            self.port = port
            self.tlsPort = tlsPort
        }
    }

    private let store: ChannelStore
    private let credentials: TURNRESTCredentials
    private let ttl: Int
    private let listeners: @Sendable () -> Listeners

    /// - Parameter ttl: validity of issued credentials in seconds (KVS allows 30…86400).
    public init(store: ChannelStore, credentials: TURNRESTCredentials, ttl: Int, listeners: @escaping @Sendable () -> Listeners) {
        self.store = store
        self.credentials = credentials
        self.ttl = ttl
        self.listeners = listeners
    }

    public func iceServers(
        _ input: SignalingAPI.GetIceServerConfigInput, accessKeyId: String, now: Date = Date()
    ) throws(KVSError) -> SignalingAPI.GetIceServerConfigOutput {
        let arn = try ControlPlane.validARN(input.ChannelARN, member: "ChannelARN")
        if let service = input.Service, service != "TURN" {
            throw .invalidArgument("Service must be TURN")
        }
        if let clientId = input.ClientId, !ChannelNaming.isValidName(clientId) {
            throw .invalidArgument("ClientId must be 1 to 256 characters of [a-zA-Z0-9_.-]")
        }
        guard try store.channel(arn: arn) != nil else {
            throw .resourceNotFound("The signaling channel \(arn) does not exist")
        }
        let where_ = listeners()
        let host = where_.host.contains(":") ? "[\(where_.host)]" : where_.host
        var uris = [
            "stun:\(host):\(where_.port)",
            "turn:\(host):\(where_.port)?transport=udp",
            "turn:\(host):\(where_.port)?transport=tcp",
        ]
        if let tlsPort = where_.tlsPort {
            uris.append("turns:\(host):\(tlsPort)?transport=tcp")
        }
        let credential = credentials.issue(user: input.ClientId ?? accessKeyId, ttl: ttl, now: Int(now.timeIntervalSince1970))
        return .init(IceServerList: [.init(Uris: uris, Username: credential.username, Password: credential.password, Ttl: credential.ttl)])
    }
}
