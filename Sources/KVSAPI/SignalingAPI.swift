/// Request and response bodies of the HTTPS signaling operations of the KVS API
/// (`kinesis-video-signaling` 2019-12-04).
public enum SignalingAPI {
    public struct GetIceServerConfigInput: Codable, Sendable {
        public var ChannelARN: String?
        public var ClientId: String?
        public var Service: String?
        public var Username: String?

        public init(ChannelARN: String? = nil, ClientId: String? = nil, Service: String? = nil, Username: String? = nil) {
            self.ChannelARN = ChannelARN
            self.ClientId = ClientId
            self.Service = Service
            self.Username = Username
        }
    }

    public struct IceServer: Codable, Sendable, Equatable {
        public var Uris: [String]
        public var Username: String
        public var Password: String
        public var Ttl: Int

        public init(Uris: [String], Username: String, Password: String, Ttl: Int) {
            self.Uris = Uris
            self.Username = Username
            self.Password = Password
            self.Ttl = Ttl
        }
    }

    public struct GetIceServerConfigOutput: Codable, Sendable {
        public var IceServerList: [IceServer]

        public init(IceServerList: [IceServer]) {
            self.IceServerList = IceServerList
        }
    }

    public struct SendAlexaOfferInput: Codable, Sendable {
        public var ChannelARN: String?
        public var SenderClientId: String?
        public var MessagePayload: String?

        public init(ChannelARN: String? = nil, SenderClientId: String? = nil, MessagePayload: String? = nil) {
            self.ChannelARN = ChannelARN
            self.SenderClientId = SenderClientId
            self.MessagePayload = MessagePayload
        }
    }

    public struct SendAlexaOfferOutput: Codable, Sendable {
        public var Answer: String

        public init(Answer: String) {
            self.Answer = Answer
        }
    }
}
