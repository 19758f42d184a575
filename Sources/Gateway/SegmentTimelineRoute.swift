import Foundation
import HTTPTypes
import Hummingbird
import Recording
import RecordingsAPI
import MediaFiles

/// `GET /v1/segments/{id}/timeline.mp4?origin=<Unix µs>`: a fragmented-MP4 segment file
/// with its fragments' decode times moved so that time zero is `origin` (the start of an
/// HLS span): consecutive files then continue one timeline. Byte ranges as for `file`
/// (the bytes keep their offsets and lengths; only `tfdt` values change).
struct SegmentTimelineRoute {
    let environment: GatewayEnvironment
    /// Largest answer read into memory to rewrite (a one-minute segment is a few MB).
    static let maxBytes: Int64 = 256 << 20

    func register(on router: Router<GatewayRequestContext>) {
        let index = environment.recordings
        let paths = environment.segmentPaths
        router.get("/v1/segments/:id/timeline.mp4") { request, context in
            RecordingsResponse.answer { try Self.answer(request, context, index: index, paths: paths) }
        }
    }

    static func answer(_ request: Request, _ context: GatewayRequestContext, index: RecordingIndex, paths: SegmentPaths) throws -> Response {
        guard let text = request.queryDictionary["origin"], let origin = Int64(text), (-(1 << 60)...(1 << 60)).contains(origin) else {
            throw RecordingsAPIError.badRequest("origin must be the timeline's start in Unix microseconds")
        }
        let (row, path, size, fileTag, modified) = try SegmentFileRoute.resolve(context, index: index, paths: paths)
        guard row.path.hasSuffix(".mp4") else { throw RecordingsAPIError.unsupportedMedia("segment \(row.id) is not fragmented MP4") }
        let scan = try FragmentedMP4Scan.scan(path: path)
        let etag = String(fileTag.dropLast()) + "-o\(origin)\""
        var headers: HTTPFields = [.contentType: "video/mp4", .eTag: etag, .acceptRanges: "bytes", .lastModified: SegmentFileRoute.httpDate(modified)]
        if entityTagMatches(ifNoneMatch: request.headers[.ifNoneMatch], etag: etag) { return Response(status: .notModified, headers: headers) }
        let wanted: ClosedRange<Int64>
        var status = HTTPResponse.Status.ok
        switch ByteRangeAnswer(range: request.headers[.range], ifRange: request.headers[.ifRange], etag: etag, size: size) {
        case .unsatisfiable: throw RecordingsAPIError.rangeNotSatisfiable(size: size)
        case .whole:
            guard size > 0 else { return Response(status: .ok, headers: headers) }
            wanted = 0...(size - 1)
        case .partial(let range):
            wanted = range
            status = .partialContent
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
        }
        guard wanted.count <= maxBytes else { throw RecordingsAPIError.badRequest("ask for at most \(maxBytes) bytes at a time (Range)") }
        // Read from the start of the first fragment the range touches, so each moof is whole.
        let first = scan.fragmentRanges.last { $0.offset <= wanted.lowerBound }?.offset ?? wanted.lowerBound
        let readFrom = wanted.lowerBound < scan.headerLength ? wanted.lowerBound : first
        var bytes = try read(path, from: readFrom, through: wanted.upperBound)
        do {
            try DecodeTimeShift.apply(to: &bytes, micros: row.start - origin, timescales: scan.timescales)
        } catch {
            throw RecordingsAPIError.badRequest("segment \(row.id) cannot be moved that far on its timeline")
        }
        let body = Array(bytes[Int(wanted.lowerBound - readFrom)...])
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func read(_ path: String, from: Int64, through last: Int64) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RecordingsAPIError.notFound("the segment file is gone") }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(from))
        return [UInt8](try handle.read(upToCount: Int(last - from + 1)) ?? Data())
    }
}
