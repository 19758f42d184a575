import Foundation
import HTTPTypes
import Media
import Hummingbird
import Recording
import RecordingsAPI

/// `GET /v1/segments/{id}/file`: a segment file with HTTP range requests (RFC 9110 §14:
/// 206 with Content-Range, suffix ranges, 416 when unsatisfiable), a strong ETag from the
/// file's id, size and modification time, If-Range and If-None-Match, and a download name.
/// The file is found through the index only, and must resolve inside the recordings root.
struct SegmentFileRoute {
    let environment: GatewayEnvironment

    func register(on router: Router<GatewayRequestContext>) {
        let index = environment.recordings
        let paths = environment.segmentPaths
        let files = FileIO()
        // `file.<ext>` too: players (FFmpeg's HLS demuxer among them) want an extension.
        for name in ["file", "file.mp4", "file.webm", "file.mkv"] {
            router.get("/v1/segments/:id/\(name)") { request, context in try await Self.answer(request, context, index: index, paths: paths, files: files) }
        }
    }

    static func answer(_ request: Request, _ context: GatewayRequestContext, index: RecordingIndex, paths: SegmentPaths, files: FileIO) async throws -> Response {
        let resolved: (row: SegmentRow, path: String, size: Int64, etag: String, modified: Date)
        do {
            resolved = try Self.resolve(context, index: index, paths: paths)
        } catch let error as RecordingsAPIError {
            return RecordingsResponse.error(error)
        } catch {
            return RecordingsResponse.error(.unavailable("the recordings index cannot answer: \(error)"))
        }
        let expected = "file." + (SegmentContainer(path: resolved.row.path)?.fileExtension ?? "mp4")
        guard let last = request.uri.path.split(separator: "/").last, last == "file" || last == expected else {
            return RecordingsResponse.error(.notFound("segment \(resolved.row.id) is served as \(expected)"))
        }
        var headers: HTTPFields = [
            .contentType: RecordingsResponse.contentType(path: resolved.row.path), .eTag: resolved.etag, .acceptRanges: "bytes",
            .lastModified: Self.httpDate(resolved.modified),
            .contentDisposition: "attachment; filename=\"\(Self.downloadName(resolved.row))\"",
            .cacheControl: resolved.row.state == .open ? "no-store" : "private, max-age=3600",
        ]
        if entityTagMatches(ifNoneMatch: request.headers[.ifNoneMatch], etag: resolved.etag) {
            return Response(status: .notModified, headers: headers)
        }
        let answer = ByteRangeAnswer(range: request.headers[.range], ifRange: request.headers[.ifRange], etag: resolved.etag, size: resolved.size)
        switch answer {
        case .unsatisfiable:
            return RecordingsResponse.error(.rangeNotSatisfiable(size: resolved.size))
        case .whole:
            headers[.contentLength] = String(resolved.size)
            guard resolved.size > 0 else { return Response(status: .ok, headers: headers) }
            let body = try await files.loadFile(path: resolved.path, range: 0...Int(resolved.size - 1), context: context)
            return Response(status: .ok, headers: headers, body: body)
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(resolved.size)"
            headers[.contentLength] = String(range.upperBound - range.lowerBound + 1)
            let body = try await files.loadFile(path: resolved.path, range: Int(range.lowerBound)...Int(range.upperBound), context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
    }

    /// The row, its file (checked to lie under the recordings root), size, ETag and mtime.
    static func resolve(_ context: GatewayRequestContext, index: RecordingIndex, paths: SegmentPaths) throws -> (SegmentRow, String, Int64, String, Date) {
        let row = try RecordingsRoutes.segment(context, index)
        let root = URL(filePath: paths.root).standardizedFileURL.resolvingSymlinksInPath().path(percentEncoded: false)
        let path = URL(filePath: paths.absolute(row.path)).standardizedFileURL.resolvingSymlinksInPath().path(percentEncoded: false)
        guard path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { throw RecordingsAPIError.notFound("segment \(row.id) has no file under the recordings directory") }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw RecordingsAPIError.notFound("the file of segment \(row.id) is gone") }
        let size = Int64(info.st_size)
        let modifiedNanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let etag = "\"s\(row.id)-\(String(size, radix: 16))-\(String(modifiedNanos, radix: 16))\""
        return (row, path, size, etag, Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
    }

    /// `<channel>-<start UTC>.<ext>` with only safe characters.
    static func downloadName(_ row: SegmentRow) -> String {
        let file = (row.path as NSString).lastPathComponent
        return SegmentPaths.sanitized(row.channel) + "-" + file.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    /// An IMF-fixdate (RFC 9110 §5.6.7).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
