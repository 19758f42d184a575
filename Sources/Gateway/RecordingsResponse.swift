import Foundation
import HTTPTypes
import Hummingbird
import Media
import Recording
import RecordingsAPI

/// JSON answers of the recordings API and the conversions from index rows.
enum RecordingsResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        guard let data = try? encoder.encode(value) else { return error(.unavailable("the answer could not be encoded")) }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: RecordingsAPIError) -> Response {
        let data = (try? encoder.encode(error.body)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if case .rangeNotSatisfiable(let size) = error { headers[.contentRange] = "bytes */\(size)" }
        return Response(status: .init(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs a handler whose failures are API errors (index failures become 503).
    static func answer(_ body: () throws -> Response) -> Response {
        do {
            return try body()
        } catch let error as RecordingsAPIError {
            return Self.error(error)
        } catch let error as RecordingError {
            return Self.error(.unavailable("the recordings index cannot answer: \(error)"))
        } catch {
            return Self.error(.unavailable("\(error)"))
        }
    }

    static func recording(_ row: RecordingRow) -> RecordingsAPI.Recording {
        .init(
            id: row.id, channel: row.channel, role: row.role.rawValue, peerClientId: row.peerClientID, videoCodec: row.videoCodec, audioCodec: row.audioCodec,
            started: RFC3339Time.format(row.startedAt), ended: row.endedAt.map(RFC3339Time.format), state: row.state.rawValue)
    }

    static func segment(_ row: SegmentRow) -> RecordingsAPI.Segment {
        .init(
            id: row.id, recordingId: row.recordingID, channel: row.channel, start: RFC3339Time.format(row.start), end: RFC3339Time.format(row.end),
            durationSeconds: Double(row.duration) / 1_000_000, bytes: row.bytes, videoCodec: row.videoCodec, audioCodec: row.audioCodec, width: row.width,
            height: row.height, keyframes: row.keyframes, frames: row.frames, state: row.state.rawValue, contentType: contentType(path: row.path))
    }

    /// The gaps (> 1 s) between these segments, as the API writes them.
    static func gaps(_ rows: [SegmentRow]) -> [RecordingsAPI.Gap] {
        RecordedSpans.gaps(rows.map { ($0.start, $0.end) }).map {
            RecordingsAPI.Gap(from: RFC3339Time.format($0.from), to: RFC3339Time.format($0.to), seconds: Double($0.to - $0.from) / 1_000_000)
        }
    }

    static func contentType(path: String) -> String {
        switch SegmentContainer(path: path) {
        case .webM: "video/webm"
        case .matroska: "video/x-matroska"
        default: "video/mp4"
        }
    }
}

extension Request {
    /// The query's parameters, the first value of each name.
    var queryDictionary: [String: String] {
        var out: [String: String] = [:]
        for (name, value) in uri.queryParameters where out[String(name)] == nil { out[String(name)] = String(value) }
        return out
    }
}

/// Unix microseconds now.
func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
