import KVSAPI

/// The operations of the KVS control plane and HTTPS signaling APIs.
extension KVSClient {
    public func createSignalingChannel(_ input: ChannelAPI.CreateInput) async throws(Failure) -> ChannelAPI.CreateOutput {
        try await call("/createSignalingChannel", input)
    }

    public func describeSignalingChannel(_ input: ChannelAPI.DescribeInput) async throws(Failure) -> ChannelAPI.DescribeOutput {
        try await call("/describeSignalingChannel", input)
    }

    public func listSignalingChannels(_ input: ChannelAPI.ListInput) async throws(Failure) -> ChannelAPI.ListOutput {
        try await call("/listSignalingChannels", input)
    }

    public func updateSignalingChannel(_ input: ChannelAPI.UpdateInput) async throws(Failure) {
        let _: ChannelAPI.Empty = try await call("/updateSignalingChannel", input)
    }

    public func deleteSignalingChannel(_ input: ChannelAPI.DeleteInput) async throws(Failure) {
        let _: ChannelAPI.Empty = try await call("/deleteSignalingChannel", input)
    }

    public func getSignalingChannelEndpoint(_ input: ChannelAPI.GetEndpointInput) async throws(Failure) -> ChannelAPI.GetEndpointOutput {
        try await call("/getSignalingChannelEndpoint", input)
    }

    public func getIceServerConfig(_ input: SignalingAPI.GetIceServerConfigInput) async throws(Failure) -> SignalingAPI.GetIceServerConfigOutput {
        try await call("/v1/get-ice-server-config", input)
    }

    /// Every channel (following NextToken), optionally with a name prefix.
    public func allSignalingChannels(prefix: String? = nil) async throws(Failure) -> [ChannelAPI.ChannelInfo] {
        var channels: [ChannelAPI.ChannelInfo] = []
        var token: String?
        repeat {
            let page = try await listSignalingChannels(
                .init(MaxResults: 100, NextToken: token, ChannelNameCondition: prefix.map { .init(ComparisonOperator: "BEGINS_WITH", ComparisonValue: $0) }))
            channels += page.ChannelInfoList
            token = page.NextToken
        } while token != nil
        return channels
    }

    /// The channel's ARN and its WSS endpoint for `role` — what a signaling peer needs,
    /// in the KVS SDKs' call order (describe, then get endpoint).
    public func signalingTarget(channelName: String, role: String) async throws(Failure) -> (arn: String, wss: String, https: String) {
        let arn = try await describeSignalingChannel(.init(ChannelName: channelName)).ChannelInfo.ChannelARN
        let endpoints = try await getSignalingChannelEndpoint(
            .init(ChannelARN: arn, SingleMasterChannelEndpointConfiguration: .init(Protocols: ["WSS", "HTTPS"], Role: role))).ResourceEndpointList
        let wss = endpoints.first { $0.Protocol == "WSS" }?.ResourceEndpoint ?? ""
        let https = endpoints.first { $0.Protocol == "HTTPS" }?.ResourceEndpoint ?? ""
        return (arn, wss, https)
    }
}
