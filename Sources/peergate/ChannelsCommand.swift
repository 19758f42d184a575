import ArgumentParser
import KVSAPI
import KVSClient

/// `peergate channels …`: the signaling-channel calls of the control plane against a
/// running server, signed with SigV4 like the AWS CLI would.
struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Create, describe, list and delete signaling channels on a running server.",
        subcommands: [Create.self, Describe.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a signaling channel and print its ARN.")
        @Argument(help: "Channel name ([a-zA-Z0-9_.-]{1,256}).") var name: String
        @Option(help: "Seconds messages for an absent master are held (5-120).") var messageTTL: Int?
        @Option(name: .customLong("tag"), help: ArgumentHelp("A tag key=value (repeatable).", valueName: "key=value")) var tags: [String] = []
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let tagList = try tags.map { pair in
                guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--tag takes key=value") }
                return ChannelAPI.Tag(Key: String(pair[..<equals]), Value: String(pair[pair.index(after: equals)...]))
            }
            let input = ChannelAPI.CreateInput(
                ChannelName: name, SingleMasterConfiguration: messageTTL.map { .init(MessageTtlSeconds: $0) }, Tags: tagList.isEmpty ? nil : tagList)
            printJSON(try await client.withClient { client throws(KVSClient.Failure) in try await client.createSignalingChannel(input) })
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a signaling channel.")
        @Argument(help: "Channel name.") var name: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            printJSON(try await client.withClient { client throws(KVSClient.Failure) in try await client.describeSignalingChannel(.init(ChannelName: name)) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signaling channels (every page).")
        @Option(help: "Only names beginning with this.") var prefix: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let channels = try await client.withClient { client throws(KVSClient.Failure) in try await client.allSignalingChannels(prefix: prefix) }
            printJSON(ChannelAPI.ListOutput(ChannelInfoList: channels))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a signaling channel (its connections get GO_AWAY).")
        @Argument(help: "Channel name.") var name: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await client.withClient { client throws(KVSClient.Failure) in
                let arn = try await client.describeSignalingChannel(.init(ChannelName: name)).ChannelInfo.ChannelARN
                try await client.deleteSignalingChannel(.init(ChannelARN: arn))
            }
            print("deleted \(name)")
        }
    }
}
