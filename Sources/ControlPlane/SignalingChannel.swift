import Foundation
import KVSAPI

/// A signaling channel as stored and described (KVS `ChannelInfo`).
public struct SignalingChannel: Sendable, Equatable {
    public var name: String
    public var arn: String
    /// Always `SINGLE_MASTER`: one master, up to 10 viewers.
    public var type: String
    /// `ACTIVE` (creation and deletion are synchronous here).
    public var status: String
    /// How long messages for an absent master are held, 5–120 s.
    public var messageTtlSeconds: Int
    /// Changes on every update; updates and deletes may require the current one.
    public var version: String
    public var creationTime: Date
    public var tags: [String: String]

    public init(
        name: String, arn: String, type: String = "SINGLE_MASTER", status: String = "ACTIVE", messageTtlSeconds: Int,
        version: String, creationTime: Date, tags: [String: String] = [:]
    ) {
        self.name = name
        self.arn = arn
        self.type = type
        self.status = status
        self.messageTtlSeconds = messageTtlSeconds
        self.version = version
        self.creationTime = creationTime
        self.tags = tags
    }

    /// Limits of the KVS API.
    public enum Limits {
        public static let messageTtlSeconds = 5...120
        public static let defaultMessageTtlSeconds = 60
        public static let maxTags = 50
        public static let tagKeyLength = 1...128
        public static let tagValueLength = 0...256
    }
}

extension ChannelAPI.ChannelInfo {
    /// The description of a stored channel.
    public init(_ channel: SignalingChannel) {
        self.init(
            ChannelName: channel.name, ChannelARN: channel.arn, ChannelType: channel.type, ChannelStatus: channel.status,
            CreationTime: channel.creationTime.timeIntervalSince1970,
            SingleMasterConfiguration: .init(MessageTtlSeconds: channel.messageTtlSeconds), Version: channel.version)
    }
}
