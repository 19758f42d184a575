import Foundation
import Hummingbird
import Recording
import RecordingsAPI

/// The recordings API's listings, metadata, storage summary and deletes (see
/// `Config/openapi.yaml`). URLs carry channel names and row ids, never file paths.
struct RecordingsRoutes {
    let environment: GatewayEnvironment

    func register(on router: Router<GatewayRequestContext>) {
        let index = environment.recordings
        let remover = SegmentRemover(index: index, paths: environment.segmentPaths, logger: environment.logger)
        let paths = environment.segmentPaths
        router.get("/v1/recordings") { _, _ in
            RecordingsResponse.answer {
                let channels = try index.channelSummaries().map {
                    RecordingsAPI.ChannelSummary(channel: $0.channel, segments: $0.segments, bytes: $0.bytes, first: RFC3339Time.format($0.first), last: RFC3339Time.format($0.last))
                }
                return RecordingsResponse.json(RecordingsAPI.ChannelList(channels: channels))
            }
        }
        router.get("/v1/channels/:name/recordings") { request, context in
            RecordingsResponse.answer {
                let name = try Self.channel(context)
                let query = try ListingQuery(request.queryDictionary, now: nowMicros())
                let rows = try index.recordingPage(
                    channel: name, from: query.from, to: query.to, order: query.order == .asc ? .ascending : .descending, after: query.after.map { ($0.start, $0.id) },
                    limit: query.limit)
                let next = rows.count == query.limit ? rows.last.map { PageToken(start: $0.startedAt, id: $0.id).description } : nil
                return RecordingsResponse.json(RecordingsAPI.RecordingPage(recordings: rows.map(RecordingsResponse.recording), nextToken: next))
            }
        }
        router.get("/v1/channels/:name/segments") { request, context in
            RecordingsResponse.answer {
                let name = try Self.channel(context)
                let query = try ListingQuery(request.queryDictionary, now: nowMicros())
                let rows = try index.segmentPage(
                    channel: name, from: query.from, to: query.to, order: query.order == .asc ? .ascending : .descending, after: query.after.map { ($0.start, $0.id) },
                    limit: query.limit
                ).map { OpenSegmentProgress.current($0, paths: paths) }
                let next = rows.count == query.limit ? rows.last.map { PageToken(start: $0.start, id: $0.id).description } : nil
                let gaps = RecordingsResponse.gaps(rows)
                let page = RecordingsAPI.SegmentPage(segments: rows.map(RecordingsResponse.segment), gaps: gaps, nextToken: next)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: page.json)))
            }
        }
        router.delete("/v1/channels/:name/segments") { request, context in
            RecordingsResponse.answer {
                let name = try Self.channel(context)
                let parameters = request.queryDictionary
                guard parameters["from"] != nil, parameters["to"] != nil else { throw RecordingsAPIError.badRequest("a delete needs both from and to") }
                let query = try ListingQuery(parameters, now: nowMicros())
                var deleted = (count: 0, bytes: Int64(0))
                var kept = 0
                var cursor: (Int64, Int64)?
                while true {
                    let rows = try index.segmentPage(channel: name, from: query.from, to: query.to, order: .ascending, after: cursor, limit: 500)
                    // Only whole segments inside the range go; a file cannot be cut in place.
                    let inside = rows.filter { $0.start >= query.from && $0.end <= query.to && $0.state != .open }
                    kept += rows.count - inside.count
                    let result = try remover.remove(inside, cause: "api", reason: "deleted through the API")
                    deleted.count += result.deleted
                    deleted.bytes += result.freed
                    kept += inside.count - result.deleted
                    guard rows.count == 500, let last = rows.last else { break }
                    cursor = (last.start, last.id)
                }
                return RecordingsResponse.json(RecordingsAPI.DeleteResult(deletedSegments: deleted.count, deletedBytes: deleted.bytes, keptSegments: kept))
            }
        }
        router.get("/v1/recordings/:id") { _, context in
            RecordingsResponse.answer {
                let row = try Self.recording(context, index)
                return RecordingsResponse.json(RecordingsResponse.recording(row))
            }
        }
        router.get("/v1/recordings/:id/segments") { _, context in
            RecordingsResponse.answer {
                let row = try Self.recording(context, index)
                let rows = try index.segments(recording: row.id).map { OpenSegmentProgress.current($0, paths: paths) }
                let gaps = RecordingsResponse.gaps(rows)
                return RecordingsResponse.json(RecordingsAPI.SegmentPage(segments: rows.map(RecordingsResponse.segment), gaps: gaps, nextToken: nil))
            }
        }
        router.delete("/v1/recordings/:id") { _, context in
            RecordingsResponse.answer {
                let row = try Self.recording(context, index)
                guard row.state != .recording else {
                    throw RecordingsAPIError.conflict("recording \(row.id) of \(row.channel) is still being written: stop its recorder first")
                }
                let segments = try index.segments(recording: row.id)
                let result = try remover.remove(segments, cause: "api", reason: "recording \(row.id) deleted through the API")
                _ = try index.deleteRecording(row.id)
                return RecordingsResponse.json(
                    RecordingsAPI.DeleteResult(deletedSegments: result.deleted, deletedBytes: result.freed, keptSegments: segments.count - result.deleted))
            }
        }
        router.get("/v1/segments/:id") { _, context in
            RecordingsResponse.answer { RecordingsResponse.json(RecordingsResponse.segment(OpenSegmentProgress.current(try Self.segment(context, index), paths: paths))) }
        }
        router.get("/v1/storage") { _, _ in
            RecordingsResponse.answer {
                let channels = try index.channelSummaries()
                var stats = statvfs()
                let root = FileManager.default.fileExists(atPath: paths.root) ? paths.root : paths.dataDirectory
                let measured = statvfs(root, &stats) == 0
                return RecordingsResponse.json(
                    RecordingsAPI.StorageSummary(
                        channels: channels.map { .init(channel: $0.channel, segments: $0.segments, bytes: $0.bytes) },
                        totalBytes: channels.reduce(0) { $0 + $1.bytes },
                        freeBytes: measured ? Int64(stats.f_bavail) * Int64(stats.f_frsize) : 0,
                        capacityBytes: measured ? Int64(stats.f_blocks) * Int64(stats.f_frsize) : 0))
            }
        }
    }

    static func channel(_ context: GatewayRequestContext) throws(RecordingsAPIError) -> String {
        guard let name = context.parameters.get("name"), !name.isEmpty, name.utf8.count <= 256 else { throw .badRequest("the channel name is missing or too long") }
        return name.removingPercentEncoding ?? name
    }

    static func identifier(_ context: GatewayRequestContext, _ what: String) throws(RecordingsAPIError) -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else { throw .badRequest("the \(what) id must be a positive integer") }
        return id
    }

    static func recording(_ context: GatewayRequestContext, _ index: RecordingIndex) throws -> RecordingRow {
        let id = try identifier(context, "recording")
        guard let row = try index.recording(id) else { throw RecordingsAPIError.notFound("no recording \(id)") }
        return row
    }

    static func segment(_ context: GatewayRequestContext, _ index: RecordingIndex) throws -> SegmentRow {
        let id = try identifier(context, "segment")
        guard let row = try index.segment(id) else { throw RecordingsAPIError.notFound("no segment \(id)") }
        return row
    }
}
