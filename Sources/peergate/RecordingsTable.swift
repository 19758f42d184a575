import Foundation
import KVSClient
import RecordingsAPI
import SigV4

/// How `peergate recordings` prints listings for people.
enum RecordingsTable {
    static func channelPath(_ channel: String, _ leaf: String) -> String {
        "/v1/channels/\(channel.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? channel)/\(leaf)"
    }

    /// `endpoint.url + path` presigned (SigV4 query, host signed) for `expires` seconds.
    static func presigned(_ endpoint: KVSClient.Endpoint, path: String, query: [(name: String, value: String)], expires: Int) -> String {
        let authority = String(endpoint.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first ?? "")
        let signer = SigV4Signer(credentials: endpoint.credentials, scope: SigV4Scope(region: endpoint.region, service: "kinesisvideo"))
        return endpoint.url + path + "?"
            + signer.presignedQuery(SigV4Request(method: "GET", path: path, query: query, headers: [("host", authority)]), at: Int(Date().timeIntervalSince1970), expires: expires)
    }

    /// Every page of a channel's segments in a span, with the gaps between them.
    static func allSegments(_ client: KVSClient, channel: String, query: [(name: String, value: String)]) async throws(KVSClient.Failure) -> RecordingsAPI.SegmentPage {
        var segments: [RecordingsAPI.Segment] = []
        var gaps: [RecordingsAPI.Gap] = []
        var next: String?
        repeat {
            let page = try await client.get(
                channelPath(channel, "segments"), query: query + [("limit", "5000")] + (next.map { [("next", $0)] } ?? []), as: RecordingsAPI.SegmentPage.self)
            if let last = segments.last, let first = page.segments.first, let end = RFC3339Time.parse(last.end), let start = RFC3339Time.parse(first.start),
                start - end > RecordedSpans.defaultThreshold
            {
                gaps.append(.init(from: last.end, to: first.start, seconds: Double(start - end) / 1_000_000))
            }
            segments += page.segments
            gaps += page.gaps
            next = page.nextToken
        } while next != nil
        return .init(segments: segments, gaps: gaps, nextToken: nil)
    }

    static func channels(_ channels: [RecordingsAPI.ChannelSummary]) {
        print(row(["CHANNEL", "SEGMENTS", "SIZE", "FIRST", "LAST"]))
        for channel in channels { print(row([channel.channel, String(channel.segments), size(channel.bytes), channel.first, channel.last])) }
    }

    static func recordings(_ recordings: [RecordingsAPI.Recording]) {
        print(row(["ID", "STATE", "ROLE", "VIDEO", "AUDIO", "STARTED", "ENDED"]))
        for recording in recordings {
            print(row([String(recording.id), recording.state, recording.role, recording.videoCodec ?? "-", recording.audioCodec ?? "-", recording.started, recording.ended ?? "-"]))
        }
    }

    static func segments(_ page: RecordingsAPI.SegmentPage) {
        print(row(["ID", "REC", "START", "SECONDS", "SIZE", "VIDEO", "AUDIO", "STATE"]))
        for segment in page.segments {
            print(
                row([
                    String(segment.id), String(segment.recordingId), segment.start, String(format: "%.1f", segment.durationSeconds), size(segment.bytes),
                    segment.videoCodec.map { "\($0) \(segment.width)x\(segment.height)" } ?? "-", segment.audioCodec ?? "-", segment.state,
                ]))
        }
        for gap in page.gaps { print("gap: \(gap.from) – \(gap.to) (\(String(format: "%.1f", gap.seconds)) s)") }
    }

    static func row(_ cells: [String]) -> String {
        let widths = [8, 8, 28, 9, 10, 18, 8, 28]
        return cells.enumerated().map { index, cell in cell.padding(toLength: max(cell.count, index < widths.count ? widths[index] : 0), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 30 ? String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
            : bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : String(format: "%.1f KiB", Double(bytes) / 1024)
    }
}

/// A one-line progress bar on standard error (redrawn in place when it is a terminal,
/// every 10 % otherwise), from bytes received against the recorded bytes of the span.
final class ProgressBar {
    let total: Int64
    private var shown = -1
    private let terminal = isatty(STDERR_FILENO) != 0

    init(total: Int64) { self.total = max(total, 1) }

    func show(_ bytes: Int64) {
        let percent = min(99, Int(bytes * 100 / total))
        guard percent != shown, terminal || percent / 10 != shown / 10 else { return }
        shown = percent
        let filled = percent * 30 / 100
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] \(percent)% \(RecordingsTable.size(bytes))"
        FileHandle.standardError.write(Data((terminal ? "\r" + line : line + "\n").utf8))
    }

    func finish(_ bytes: Int64) {
        let line = "[" + String(repeating: "#", count: 30) + "] 100% \(RecordingsTable.size(bytes))"
        FileHandle.standardError.write(Data((terminal ? "\r" + line + "\n" : line + "\n").utf8))
    }
}
