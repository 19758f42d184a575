import Foundation
import Hummingbird
import Logging
import Media
import Recording
import RecordingsAPI
import SigV4
import Synchronization
import MediaFiles

/// Playback of a time span across segments: `playback.mp4` (or `.webm` for VP8
/// recordings) remuxed into one stream with continuous timestamps, and `playback.m3u8`,
/// an HLS playlist of the segment files by byte range (see ``HLSPlaylist``).
struct PlaybackRoutes {
    let environment: GatewayEnvironment
    /// Segments one span may cover (two weeks of one-minute segments).
    static let maxSegments = 20_000
    /// Playbacks remuxing at once (each reads files on a thread of its own); more wait
    /// for none: they are refused with 503 and a Retry-After.
    static let maxConcurrentPlaybacks = 8
    static let running = PlaybackCount()

    final class PlaybackCount: Sendable {
        let value = Atomic<Int>(0)

        /// Takes a slot; false when all are taken.
        func enter() -> Bool {
            if value.add(1, ordering: .acquiringAndReleasing).newValue <= PlaybackRoutes.maxConcurrentPlaybacks { return true }
            leave()
            return false
        }

        func leave() { value.subtract(1, ordering: .acquiringAndReleasing) }
    }

    func register(on router: Router<GatewayRequestContext>) {
        let environment = self.environment
        router.get("/v1/channels/:name/playback.mp4") { request, context in await Self.playback(request, context, environment, webM: false) }
        router.get("/v1/channels/:name/playback.webm") { request, context in await Self.playback(request, context, environment, webM: true) }
        router.get("/v1/channels/:name/playback.m3u8") { request, context in
            RecordingsResponse.answer { try Self.playlist(request, context, environment) }
        }
    }

    /// The segments of a span, oldest first, files that still exist.
    static func span(_ request: Request, _ context: GatewayRequestContext, _ environment: GatewayEnvironment) throws -> (String, ListingQuery, [SegmentRow]) {
        let name = try RecordingsRoutes.channel(context)
        let query = try ListingQuery(request.queryDictionary, now: nowMicros())
        var rows: [SegmentRow] = []
        var cursor: (Int64, Int64)?
        while rows.count < maxSegments {
            let page = try environment.recordings.segmentPage(channel: name, from: query.from, to: query.to, order: .ascending, after: cursor, limit: 1000)
            rows += page.filter { $0.state != .missing }
            guard page.count == 1000, let last = page.last else { break }
            cursor = (last.start, last.id)
        }
        guard !rows.isEmpty else {
            throw RecordingsAPIError.notFound("nothing of \(name) was recorded between \(RFC3339Time.format(query.from)) and \(RFC3339Time.format(query.to))")
        }
        return (name, query, rows)
    }

    static func playback(_ request: Request, _ context: GatewayRequestContext, _ environment: GatewayEnvironment, webM: Bool) async -> Response {
        let plan: (String, ListingQuery, [SegmentRow], SegmentContainer)
        do {
            let (name, query, rows) = try span(request, context, environment)
            let container = SegmentContainer(path: rows[0].path) ?? .fragmentedMP4
            guard (container != .fragmentedMP4) == webM else {
                throw RecordingsAPIError.unsupportedMedia(
                    container == .fragmentedMP4
                        ? "this span was recorded as MP4: ask for playback.mp4" : "this span was recorded as WebM/Matroska (VP8): ask for playback.webm")
            }
            plan = (name, query, rows, container)
        } catch {
            return RecordingsResponse.answer { throw error }
        }
        let (name, query, rows, container) = plan
        let inputs = rows.filter { SegmentContainer(path: $0.path) == container }.map {
            SegmentConcatenation.Input(path: environment.segmentPaths.absolute($0.path), start: $0.start)
        }
        guard running.enter() else {
            var busy = RecordingsResponse.error(.unavailable("\(maxConcurrentPlaybacks) playbacks are running: try again shortly"))
            busy.headers[.retryAfter] = "2"
            return busy
        }
        let bridge = MuxedStreamBridge()
        let logger = environment.logger
        Thread.detachNewThread {
            defer { running.leave() }
            do {
                let summary = try SegmentConcatenation.run(inputs, from: query.from, to: query.to, container: container) { bridge.put($0) }
                logger.debug("playback of \(name): \(summary.packets) packets, \(summary.bytes) bytes from \(summary.filesUsed) files, \(summary.stop)")
                bridge.finish()
            } catch {
                logger.error("playback of \(name) failed: \(error)")
                bridge.finish(throwing: error)
            }
        }
        let (first, body, error) = await BridgedBody.start(bridge)
        guard let first else {
            return RecordingsResponse.error(.unavailable("the recording could not be read: \(error.map { "\($0)" } ?? "no data")"))
        }
        let type = container == .fragmentedMP4 ? "video/mp4" : container == .webM ? "video/webm" : "video/x-matroska"
        let file = SegmentPaths.sanitized(name) + "-" + RFC3339Time.format(rows[0].start).filter { $0.isNumber || $0 == "T" } + "." + container.fileExtension
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-store", .contentDisposition: "inline; filename=\"\(file)\""],
            body: body.responseBody(first: first))
    }

    static func playlist(_ request: Request, _ context: GatewayRequestContext, _ environment: GatewayEnvironment) throws -> Response {
        let (_, query, rows) = try span(request, context, environment)
        guard SegmentContainer(path: rows[0].path) == .fragmentedMP4 else {
            throw RecordingsAPIError.unsupportedMedia("HLS carries fragmented-MP4 recordings only; this span was recorded as WebM/Matroska (VP8): use playback.webm")
        }
        let signer = ChildURLSigner(request: request, context: context, environment: environment)
        var files: [HLSPlaylist.File] = []
        for row in rows where SegmentContainer(path: row.path) == .fragmentedMP4 {
            guard let scan = try? FragmentedMP4Scan.scan(path: environment.segmentPaths.absolute(row.path)) else { continue }
            let fragments = HLSPlaylist.fragments(
                ofFileStartingAt: row.start, ends: scan.fragmentRanges.map { ($0.offset, $0.length, $0.endMicros) }, from: query.from, to: query.to)
            guard !fragments.isEmpty else { continue }
            let uri = signer.url("/v1/segments/\(row.id)/timeline.mp4", query: [("origin", String(rows[0].start))])
            files.append(.init(uri: uri, start: row.start, headerLength: scan.headerLength, fragments: fragments))
        }
        guard !files.isEmpty else { throw RecordingsAPIError.notFound("no complete fragment in the span yet") }
        return Response(
            status: .ok, headers: [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: HLSPlaylist(files: files).text)))
    }
}

/// URLs a playlist hands out: presigned with the same key and expiry when the playlist
/// request itself was presigned (a player that was given one URL can fetch the rest),
/// plain otherwise (header-signed clients, console sessions).
struct ChildURLSigner {
    let signer: SigV4Signer?
    let host: String
    let expires: Int

    init(request: Request, context: GatewayRequestContext, environment: GatewayEnvironment) {
        let parameters = request.queryDictionary
        host = request.head.authority ?? ""
        guard parameters["X-Amz-Signature"] != nil, let key = context.accessKeyId,
            let credentials = environment.credentials.accessKeys.first(where: { $0.accessKeyId == key }),
            let dateText = parameters["X-Amz-Date"], let date = SigV4Time.parse(dateText), let lifetime = Int(parameters["X-Amz-Expires"] ?? "")
        else {
            signer = nil
            expires = 0
            return
        }
        signer = SigV4Signer(credentials: credentials, scope: SigV4Scope(region: environment.config.auth.region, service: "kinesisvideo"))
        expires = max(1, date + lifetime - Int(Date().timeIntervalSince1970))
    }

    func url(_ path: String, query: [(name: String, value: String)] = []) -> String {
        guard let signer else { return query.isEmpty ? path : path + "?" + SigV4Signer.encodeQuery(query) }
        return path + "?" + signer.presignedQuery(SigV4Request(method: "GET", path: path, query: query, headers: [("host", host)]), at: Int(Date().timeIntervalSince1970), expires: expires)
    }
}
