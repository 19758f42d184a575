import Foundation
import KVSAPI

/// The signaling-channel operations of the KVS control plane: input validation as the
/// KVS API models it, then ``ChannelStore``.
public final class ControlPlane: Sendable {
    public let store: ChannelStore
    public let region: String
    public let accountId: String
    /// The base URLs this server is reached at: `https://…` (or `http://`) and `wss://…` (or `ws://`).
    private let endpoints: @Sendable () -> (https: String, wss: String)
    /// Told when a channel is deleted (signaling sends GO_AWAY to its connections).
    private let channelDeleted: @Sendable (SignalingChannel) -> Void

    public init(
        store: ChannelStore, region: String, accountId: String,
        endpoints: @escaping @Sendable () -> (https: String, wss: String),
        channelDeleted: @escaping @Sendable (SignalingChannel) -> Void = { _ in }
    ) {
        self.store = store
        self.region = region
        self.accountId = accountId
        self.endpoints = endpoints
        self.channelDeleted = channelDeleted
    }

    public func create(_ input: ChannelAPI.CreateInput, now: Date = Date()) throws(KVSError) -> ChannelAPI.CreateOutput {
        let name = try Self.validName(input.ChannelName, member: "ChannelName")
        if let type = input.ChannelType, type != "SINGLE_MASTER" {
            throw .invalidArgument("ChannelType \(type) is not supported; use SINGLE_MASTER")
        }
        let ttl = try Self.validTTL(input.SingleMasterConfiguration?.MessageTtlSeconds) ?? SignalingChannel.Limits.defaultMessageTtlSeconds
        let tags = try Self.validTags(input.Tags ?? [], allowEmpty: true)
        let channel = try store.create(name: name, region: region, accountId: accountId, messageTtlSeconds: ttl, tags: tags, now: now)
        return .init(ChannelARN: channel.arn)
    }

    public func describe(_ input: ChannelAPI.DescribeInput) throws(KVSError) -> ChannelAPI.DescribeOutput {
        let channel: SignalingChannel?
        switch (input.ChannelName, input.ChannelARN) {
        case (let name?, nil):
            channel = try store.channel(named: try Self.validName(name, member: "ChannelName"))
        case (nil, let arn?):
            channel = try store.channel(arn: try Self.validARN(arn, member: "ChannelARN"))
        case (let name?, let arn?):
            let found = try store.channel(arn: try Self.validARN(arn, member: "ChannelARN"))
            channel = found?.name == name ? found : nil
        case (nil, nil):
            throw .invalidArgument("Give ChannelName or ChannelARN")
        }
        guard let channel else {
            throw .resourceNotFound("The requested signaling channel was not found")
        }
        return .init(ChannelInfo: .init(channel))
    }

    public func list(_ input: ChannelAPI.ListInput) throws(KVSError) -> ChannelAPI.ListOutput {
        let limit = input.MaxResults ?? 10_000
        guard (1...10_000).contains(limit) else { throw .invalidArgument("MaxResults must be in 1...10000") }
        var prefix: String?
        if let condition = input.ChannelNameCondition {
            guard condition.ComparisonOperator == nil || condition.ComparisonOperator == "BEGINS_WITH" else {
                throw .invalidArgument("ComparisonOperator must be BEGINS_WITH")
            }
            prefix = try condition.ComparisonValue.map { value throws(KVSError) in try Self.validName(value, member: "ComparisonValue") }
        }
        let after = try input.NextToken.map { token throws(KVSError) in try Self.position(inToken: token) } ?? 0
        let page = try store.list(prefix: prefix, after: after, limit: limit)
        return .init(ChannelInfoList: page.channels.map(ChannelAPI.ChannelInfo.init), NextToken: page.next.map(Self.token))
    }

    public func update(_ input: ChannelAPI.UpdateInput) throws(KVSError) -> ChannelAPI.Empty {
        let arn = try Self.validARN(input.ChannelARN, member: "ChannelARN")
        let version = try Self.validVersion(input.CurrentVersion)
        _ = try store.update(arn: arn, currentVersion: version, messageTtlSeconds: try Self.validTTL(input.SingleMasterConfiguration?.MessageTtlSeconds))
        return .init()
    }

    public func delete(_ input: ChannelAPI.DeleteInput) throws(KVSError) -> ChannelAPI.Empty {
        let arn = try Self.validARN(input.ChannelARN, member: "ChannelARN")
        let version = try input.CurrentVersion.map { version throws(KVSError) in try Self.validVersion(version) }
        let channel = try store.delete(arn: arn, currentVersion: version)
        channelDeleted(channel)
        return .init()
    }

    /// The WSS and HTTPS endpoints of this server. Both roles use the same endpoint: the
    /// WebSocket role is told by `X-Amz-ClientId` (present for viewers, absent for the
    /// master), as with KVS.
    public func endpoint(_ input: ChannelAPI.GetEndpointInput) throws(KVSError) -> ChannelAPI.GetEndpointOutput {
        let arn = try Self.validARN(input.ChannelARN, member: "ChannelARN")
        guard try store.channel(arn: arn) != nil else {
            throw .resourceNotFound("The signaling channel \(arn) does not exist")
        }
        let configuration = input.SingleMasterChannelEndpointConfiguration
        if let role = configuration?.Role, role != "MASTER", role != "VIEWER" {
            throw .invalidArgument("Role must be MASTER or VIEWER")
        }
        let protocols = configuration?.Protocols ?? ["WSS", "HTTPS"]
        let urls = endpoints()
        return .init(ResourceEndpointList: try protocols.map { name throws(KVSError) in
            switch name {
            case "WSS": return .init(Protocol: "WSS", ResourceEndpoint: urls.wss)
            case "HTTPS": return .init(Protocol: "HTTPS", ResourceEndpoint: urls.https)
            case "WEBRTC": throw .invalidArgument("WEBRTC ingestion endpoints are not offered by this server")
            default: throw .invalidArgument("Protocols may hold WSS and HTTPS")
            }
        })
    }

    public func tagResource(_ input: ChannelAPI.TagResourceInput) throws(KVSError) -> ChannelAPI.Empty {
        let arn = try Self.validARN(input.ResourceARN, member: "ResourceARN")
        try store.tag(arn: arn, tags: try Self.validTags(input.Tags ?? [], allowEmpty: false))
        return .init()
    }

    public func untagResource(_ input: ChannelAPI.UntagResourceInput) throws(KVSError) -> ChannelAPI.Empty {
        let arn = try Self.validARN(input.ResourceARN, member: "ResourceARN")
        let keys = input.TagKeyList ?? []
        guard (1...SignalingChannel.Limits.maxTags).contains(keys.count) else {
            throw .invalidArgument("TagKeyList must hold 1 to \(SignalingChannel.Limits.maxTags) keys")
        }
        try store.untag(arn: arn, keys: keys)
        return .init()
    }

    public func listTags(_ input: ChannelAPI.ListTagsInput) throws(KVSError) -> ChannelAPI.ListTagsOutput {
        let arn = try Self.validARN(input.ResourceARN, member: "ResourceARN")
        guard let channel = try store.channel(arn: arn) else {
            throw .resourceNotFound("The signaling channel \(arn) does not exist")
        }
        return .init(Tags: channel.tags, NextToken: nil)
    }
}
