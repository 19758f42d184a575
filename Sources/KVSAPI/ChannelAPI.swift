/// Request and response bodies of the signaling-channel operations of the KVS API
/// (`kinesisvideo` 2017-09-30, REST JSON, PascalCase members).
public enum ChannelAPI {
    public struct SingleMasterConfiguration: Codable, Sendable, Equatable {
        public var MessageTtlSeconds: Int?

        public init(MessageTtlSeconds: Int? = nil) {
            self.MessageTtlSeconds = MessageTtlSeconds
        }
    }

    public struct Tag: Codable, Sendable, Equatable {
        public var Key: String
        public var Value: String

        public init(Key: String, Value: String) {
            self.Key = Key
            self.Value = Value
        }
    }

    public struct CreateInput: Codable, Sendable {
        public var ChannelName: String?
        public var ChannelType: String?
        public var SingleMasterConfiguration: SingleMasterConfiguration?
        public var Tags: [Tag]?

        public init(ChannelName: String? = nil, ChannelType: String? = nil, SingleMasterConfiguration: SingleMasterConfiguration? = nil, Tags: [Tag]? = nil) {
            self.ChannelName = ChannelName
            self.ChannelType = ChannelType
            self.SingleMasterConfiguration = SingleMasterConfiguration
            self.Tags = Tags
        }
    }

    public struct CreateOutput: Codable, Sendable {
        public var ChannelARN: String

        public init(ChannelARN: String) {
            self.ChannelARN = ChannelARN
        }
    }

    public struct DescribeInput: Codable, Sendable {
        public var ChannelName: String?
        public var ChannelARN: String?

        public init(ChannelName: String? = nil, ChannelARN: String? = nil) {
            self.ChannelName = ChannelName
            self.ChannelARN = ChannelARN
        }
    }

    public struct ChannelInfo: Codable, Sendable, Equatable {
        public var ChannelName: String
        public var ChannelARN: String
        public var ChannelType: String
        public var ChannelStatus: String
        /// Seconds since the Unix epoch (botocore reads JSON timestamps as epoch seconds).
        public var CreationTime: Double
        public var SingleMasterConfiguration: SingleMasterConfiguration
        public var Version: String

        public init(
            ChannelName: String, ChannelARN: String, ChannelType: String, ChannelStatus: String, CreationTime: Double,
            SingleMasterConfiguration: SingleMasterConfiguration, Version: String
        ) {
            self.ChannelName = ChannelName
            self.ChannelARN = ChannelARN
            self.ChannelType = ChannelType
            self.ChannelStatus = ChannelStatus
            self.CreationTime = CreationTime
            self.SingleMasterConfiguration = SingleMasterConfiguration
            self.Version = Version
        }
    }

    public struct DescribeOutput: Codable, Sendable {
        public var ChannelInfo: ChannelInfo

        public init(ChannelInfo: ChannelInfo) {
            self.ChannelInfo = ChannelInfo
        }
    }

    public struct NameCondition: Codable, Sendable {
        public var ComparisonOperator: String?
        public var ComparisonValue: String?

        public init(ComparisonOperator: String? = nil, ComparisonValue: String? = nil) {
            self.ComparisonOperator = ComparisonOperator
            self.ComparisonValue = ComparisonValue
        }
    }

    public struct ListInput: Codable, Sendable {
        public var MaxResults: Int?
        public var NextToken: String?
        public var ChannelNameCondition: NameCondition?

        public init(MaxResults: Int? = nil, NextToken: String? = nil, ChannelNameCondition: NameCondition? = nil) {
            self.MaxResults = MaxResults
            self.NextToken = NextToken
            self.ChannelNameCondition = ChannelNameCondition
        }
    }

    public struct ListOutput: Codable, Sendable {
        public var ChannelInfoList: [ChannelInfo]
        public var NextToken: String?

        public init(ChannelInfoList: [ChannelInfo], NextToken: String? = nil) {
            self.ChannelInfoList = ChannelInfoList
            self.NextToken = NextToken
        }
    }

    public struct UpdateInput: Codable, Sendable {
        public var ChannelARN: String?
        public var CurrentVersion: String?
        public var SingleMasterConfiguration: SingleMasterConfiguration?

        public init(ChannelARN: String? = nil, CurrentVersion: String? = nil, SingleMasterConfiguration: SingleMasterConfiguration? = nil) {
            self.ChannelARN = ChannelARN
            self.CurrentVersion = CurrentVersion
            self.SingleMasterConfiguration = SingleMasterConfiguration
        }
    }

    public struct DeleteInput: Codable, Sendable {
        public var ChannelARN: String?
        public var CurrentVersion: String?

        public init(ChannelARN: String? = nil, CurrentVersion: String? = nil) {
            self.ChannelARN = ChannelARN
            self.CurrentVersion = CurrentVersion
        }
    }

    public struct EndpointConfiguration: Codable, Sendable {
        public var Protocols: [String]?
        public var Role: String?

        public init(Protocols: [String]? = nil, Role: String? = nil) {
            self.Protocols = Protocols
            self.Role = Role
        }
    }

    public struct GetEndpointInput: Codable, Sendable {
        public var ChannelARN: String?
        public var SingleMasterChannelEndpointConfiguration: EndpointConfiguration?

        public init(ChannelARN: String? = nil, SingleMasterChannelEndpointConfiguration: EndpointConfiguration? = nil) {
            self.ChannelARN = ChannelARN
            self.SingleMasterChannelEndpointConfiguration = SingleMasterChannelEndpointConfiguration
        }
    }

    public struct ResourceEndpoint: Codable, Sendable, Equatable {
        public var `Protocol`: String
        public var ResourceEndpoint: String

        public init(`Protocol`: String, ResourceEndpoint: String) {
            self.Protocol = `Protocol`
            self.ResourceEndpoint = ResourceEndpoint
        }
    }

    public struct GetEndpointOutput: Codable, Sendable {
        public var ResourceEndpointList: [ResourceEndpoint]

        public init(ResourceEndpointList: [ResourceEndpoint]) {
            self.ResourceEndpointList = ResourceEndpointList
        }
    }

    public struct TagResourceInput: Codable, Sendable {
        public var ResourceARN: String?
        public var Tags: [Tag]?

        public init(ResourceARN: String? = nil, Tags: [Tag]? = nil) {
            self.ResourceARN = ResourceARN
            self.Tags = Tags
        }
    }

    public struct UntagResourceInput: Codable, Sendable {
        public var ResourceARN: String?
        public var TagKeyList: [String]?

        public init(ResourceARN: String? = nil, TagKeyList: [String]? = nil) {
            self.ResourceARN = ResourceARN
            self.TagKeyList = TagKeyList
        }
    }

    public struct ListTagsInput: Codable, Sendable {
        public var ResourceARN: String?
        public var NextToken: String?

        public init(ResourceARN: String? = nil, NextToken: String? = nil) {
            self.ResourceARN = ResourceARN
            self.NextToken = NextToken
        }
    }

    public struct ListTagsOutput: Codable, Sendable {
        public var Tags: [String: String]
        public var NextToken: String?

        public init(Tags: [String: String], NextToken: String? = nil) {
            self.Tags = Tags
            self.NextToken = NextToken
        }
    }

    /// The empty JSON object some operations return.
    public struct Empty: Codable, Sendable {
        public init() {}
    }
}
