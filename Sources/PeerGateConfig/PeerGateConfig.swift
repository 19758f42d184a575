import Logging

/// The effective configuration of a peergate process (DESIGN.md §5).
///
/// Built by ``ConfigLoader`` from the built-in defaults (`Config/peergate.yaml`), a
/// configuration file, `PEERGATE_*` environment variables and `--set` overrides. Every
/// value here has been validated; property names are the configuration keys.
public struct PeerGateConfig: Sendable, Equatable, Encodable {
    public var http: HTTP
    public var storage: Storage
    public var log: Log
    public var auth: Auth
    public var signaling: Signaling
    public var turn: TURN
    public var recording: Recording
    public var publishers: [Publisher]
    public var recorders: [Recorder]

    /// The HTTP listener: control plane, signaling, recordings API, console, metrics.
    public struct HTTP: Sendable, Equatable, Encodable {
        /// Address the listener binds; 127.0.0.1 unless configured (security by default).
        public var host: String
        /// TCP port; 0 picks a free port.
        public var port: Int
        /// Base URL advertised to clients (scheme and host, no default port); nil derives
        /// it from host and the bound port.
        public var publicURL: String?
        /// Largest request body accepted.
        public var maxBodyBytes: Int
        /// Certificate and key for HTTPS/WSS; nil serves plain HTTP.
        public var tls: TLSFiles?
    }

    /// PEM files of a TLS identity.
    public struct TLSFiles: Sendable, Equatable, Encodable {
        public var certificateFile: String
        public var keyFile: String
    }

    public struct Storage: Sendable, Equatable, Encodable {
        /// Directory of the SQLite database, recordings and `ports.json`.
        public var dataDir: String
    }

    public struct Log: Sendable, Equatable, Encodable {
        public var level: Logger.Level
        public var format: LogFormat
    }

    /// How log events are written to standard error.
    public enum LogFormat: String, Sendable, Equatable, Encodable, CaseIterable {
        case text
        case json
    }

    public struct Auth: Sendable, Equatable, Encodable {
        /// Region in ARNs and in the SigV4 credential scope.
        public var region: String
        /// 12-digit account id in ARNs.
        public var accountId: String
        /// Access keys accepted for SigV4; empty means one is generated at first start.
        public var credentials: [AccessKey]
        /// Reads of the recordings API (listings, downloads, playback) need no credentials.
        public var anonymousRead: Bool
        /// How long a web console login lasts (the session cookie's lifetime).
        public var sessionHours: Int
    }

    /// A SigV4 access key pair.
    public struct AccessKey: Sendable, Equatable, Encodable {
        public var accessKeyId: String
        public var secretAccessKey: Secret

        public init(accessKeyId: String, secretAccessKey: Secret) {
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
        }
    }

    /// Limits of the signaling WebSocket service (defaults are KVS's).
    public struct Signaling: Sendable, Equatable, Encodable {
        public var maxViewers: Int
        public var sdpPerSecond: Int
        public var candidatesPerSecond: Int
        public var idleTimeoutSeconds: Int
        public var maxConnectionSeconds: Int
        public var answerTimeoutSeconds: Int
    }

    public struct TURN: Sendable, Equatable, Encodable {
        public var host: String
        public var port: Int
        public var tlsPort: Int
        /// UDP ports for relayed transport addresses.
        public var relayPorts: ClosedRange<Int>
        /// The IP relays bind and advertise.
        public var relayAddress: String
        public var realm: String
        /// Shared secret of TURN REST credentials; nil means generated once and kept.
        public var secret: Secret?
        /// Validity of issued TURN REST credentials.
        public var credentialTTLSeconds: Int
        public var allowLoopbackPeers: Bool
        /// CIDRs exempt from the default peer deny-list.
        public var allowedPeers: [String]
        public var maxAllocationsPerUser: Int
        /// 0 is unlimited.
        public var maxKbpsPerUser: Int
        public var users: [TURNUser]
    }

    /// A static TURN user.
    public struct TURNUser: Sendable, Equatable, Encodable {
        public var username: String
        public var password: Secret

        public init(username: String, password: Secret) {
            self.username = username
            self.password = password
        }
    }

    public struct Recording: Sendable, Equatable, Encodable {
        public var segmentSeconds: Int
        public var fsync: FsyncPolicy
        /// 0 keeps recordings forever.
        public var retentionDays: Int
        public var minFreeDiskMB: Int
    }

    /// When recorded data is forced to disk.
    public enum FsyncPolicy: String, Sendable, Equatable, Encodable, CaseIterable {
        /// After every fragment: a power loss costs at most one fragment.
        case fragment
        /// When a segment closes.
        case segment
        /// Never explicitly; the OS decides.
        case off
    }

    /// A source republished as the master of a channel.
    public struct Publisher: Sendable, Equatable, Encodable {
        public var channel: String
        /// `rtsp://…` URL or a media file path.
        public var source: String
        public var loop: Bool
        public var rtspTransport: RTSPTransport
        /// Open the source on the first viewer only (else always on).
        public var onDemand: Bool
        /// With onDemand, close the source this long after the last viewer leaves.
        public var closeAfterSeconds: Int
        /// Keyframe requests answered from the cache at most once per this many seconds per viewer; 0: never.
        public var keyframeResendSeconds: Int
        /// Re-encode audio WebRTC cannot carry (AAC…) to Opus.
        public var transcodeAudio: Bool
    }

    public enum RTSPTransport: String, Sendable, Equatable, Encodable, CaseIterable {
        case tcp
        case udp
    }

    /// A channel recorded while `serve` runs.
    public struct Recorder: Sendable, Equatable, Encodable {
        public var channel: String
        public var role: PeerRole
        /// Overrides `recording.retentionDays` for this channel (0 keeps forever).
        public var retentionDays: Int?

        public init(channel: String, role: PeerRole, retentionDays: Int? = nil) {
            self.channel = channel
            self.role = role
            self.retentionDays = retentionDays
        }
    }

    /// The side of a channel a gateway worker joins as.
    public enum PeerRole: String, Sendable, Equatable, Encodable, CaseIterable {
        case viewer
        case master
    }
}
