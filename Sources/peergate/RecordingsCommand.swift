import ArgumentParser
import SigV4
import Foundation
import KVSClient
import RecordingsAPI

/// `peergate recordings …`: what a running server recorded, through its recordings API.
struct RecordingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings",
        abstract: "List, inspect, export, start and stop recordings on a running server.",
        subcommands: [List.self, Show.self, Export.self, URL.self, Start.self, Stop.self])

    /// `--from` / `--to` as RFC 3339 date-times (`now` for the present).
    struct Span: ParsableArguments {
        @Option(help: "Start, RFC 3339 (e.g. 2026-11-26T10:00:00Z); default: the first recording.") var from: String?
        @Option(help: "End, RFC 3339 or now; default: now.") var to: String?

        func query() throws -> [(name: String, value: String)] {
            var query: [(name: String, value: String)] = []
            for (name, text) in [("from", from), ("to", to)] {
                guard let text else { continue }
                let micros = text == "now" ? Int64(Date().timeIntervalSince1970 * 1_000_000) : RFC3339Time.parse(text)
                guard let micros else { throw ValidationError("--\(name) must be an RFC 3339 date-time such as 2026-11-26T10:00:00Z, or now") }
                query.append((name, RFC3339Time.format(micros)))
            }
            return query
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Channels with recordings, or the recordings of one channel.")
        @Option(help: "A channel: list its recordings.") var channel: String?
        @OptionGroup var span: Span
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = try span.query()
            try await client.withClient { client throws(KVSClient.Failure) in
                guard let channel else {
                    let list = try await client.get("/v1/recordings", as: RecordingsAPI.ChannelList.self)
                    if json { return printJSON(list) }
                    RecordingsTable.channels(list.channels)
                    return
                }
                var recordings: [RecordingsAPI.Recording] = []
                var next: String?
                repeat {
                    let page = try await client.get(
                        RecordingsTable.channelPath(channel, "recordings"), query: query + [("limit", "5000")] + (next.map { [("next", $0)] } ?? []),
                        as: RecordingsAPI.RecordingPage.self)
                    recordings += page.recordings
                    next = page.nextToken
                } while next != nil
                if json { return printJSON(RecordingsAPI.RecordingPage(recordings: recordings, nextToken: nil)) }
                RecordingsTable.recordings(recordings)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The segments of a channel in a time span (or of one recording), with the gaps.")
        @Option(help: "The channel.") var channel: String?
        @Option(help: "A recording id instead of a channel and span.") var recording: Int64?
        @OptionGroup var span: Span
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard channel != nil || recording != nil else { throw ValidationError("pass --channel NAME (with --from/--to) or --recording ID") }
            let query = try span.query()
            try await client.withClient { client throws(KVSClient.Failure) in
                let page: RecordingsAPI.SegmentPage
                if let recording {
                    page = try await client.get("/v1/recordings/\(recording)/segments", as: RecordingsAPI.SegmentPage.self)
                } else {
                    page = try await RecordingsTable.allSegments(client, channel: channel ?? "", query: query)
                }
                if json { return printJSON(page) }
                RecordingsTable.segments(page)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a time span of a channel as one file (playback across segments and gaps), with a progress bar.")
        @Option(help: "The channel.") var channel: String
        @OptionGroup var span: Span
        @Option(name: .shortAndLong, help: "Output file: .mp4 (H.264/H.265 recordings) or .webm (VP8).") var output: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = try span.query()
            let format = output.lowercased().hasSuffix(".webm") ? "webm" : "mp4"
            let written = try await client.withClient { client throws(KVSClient.Failure) in
                let segments = try await RecordingsTable.allSegments(client, channel: channel, query: query)
                let bar = ProgressBar(total: segments.segments.reduce(0) { $0 + $1.bytes })
                let written = try await client.download(RecordingsTable.channelPath(channel, "playback.\(format)"), query: query, to: output) { bar.show($0) }
                bar.finish(written)
                return written
            }
            FileHandle.standardError.write(Data("wrote \(output) (\(written) bytes)\n".utf8))
        }
    }

    struct URL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print a presigned URL of a span (MP4 or HLS) or a segment file, for players that cannot sign (ffplay, VLC, a browser).")
        @Option(help: "The channel (for a span).") var channel: String?
        @Option(help: "A segment id instead of a span.") var segment: Int64?
        @OptionGroup var span: Span
        @Flag(help: "An HLS playlist (its segment URLs are presigned too) instead of one MP4 stream.") var hls = false
        @Flag(help: "VP8 recordings: playback.webm.") var webm = false
        @Option(help: "Seconds the URL stays valid (1 to 604800).") var expires = 3600
        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard (1...604_800).contains(expires) else { throw ValidationError("--expires must be 1 to 604800 seconds") }
            let endpoint = try client.resolve()
            let path: String
            var query: [(name: String, value: String)] = []
            if let segment {
                path = "/v1/segments/\(segment)/file"
            } else if let channel {
                path = RecordingsTable.channelPath(channel, hls ? "playback.m3u8" : webm ? "playback.webm" : "playback.mp4")
                query = try span.query()
            } else {
                throw ValidationError("pass --channel NAME (with --from/--to) or --segment ID")
            }
            print(RecordingsTable.presigned(endpoint, path: path, query: query, expires: expires))
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start recording a channel on the server (until stop or a server restart).")
        @Option(help: "The channel.") var channel: String
        @Option(help: "viewer (record what the master sends) or master (record each viewer).") var role = "viewer"
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = try JSONEncoder().encode(RecordingsAPI.StartRecorder(role: role))
            let data = try await client.withClient { client throws(KVSClient.Failure) in try await client.send(.PUT, RecordingsTable.channelPath(channel, "recorder"), body: body) }
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop recording a channel on the server.")
        @Option(help: "The channel.") var channel: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            _ = try await client.withClient { client throws(KVSClient.Failure) in try await client.send(.DELETE, RecordingsTable.channelPath(channel, "recorder")) }
        }
    }
}
