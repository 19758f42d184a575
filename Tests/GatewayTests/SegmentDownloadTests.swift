import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Recording
import Testing

/// `GET /v1/segments/{id}/file`: the bytes on disk, whole or by range (RFC 9110 §14),
/// with validators, and nothing outside the recordings directory.
@Suite struct SegmentDownloadTests {
    @Test func wholeFileAndRanges() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        let segment = recorded.segments[0]
        let bytes = try [UInt8](Data(contentsOf: URL(filePath: gateway.environment.segmentPaths.absolute(segment.path))))
        let size = bytes.count
        let uri = "/v1/segments/\(segment.id)/file"
        try await gateway.application().test(.router) { client in
            func get(_ headers: HTTPFields = [:]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway, headers: headers))
            }
            let whole = try await get()
            #expect(whole.status == .ok)
            #expect(Array(buffer: whole.body) == bytes)
            #expect(whole.headers[.contentType] == "video/mp4")
            #expect(whole.headers[.contentLength] == String(size))
            #expect(whole.headers[.acceptRanges] == "bytes")
            #expect(whole.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"cam-1-20261126T100000.000000Z.mp4\"") == true)
            #expect(whole.headers[.lastModified]?.hasSuffix(" GMT") == true)
            let etag = try #require(whole.headers[.eTag])
            #expect(etag.hasPrefix("\"s\(segment.id)-"))

            let head = try await get([.range: "bytes=0-99"])
            #expect(head.status == .partialContent)
            #expect(head.headers[.contentRange] == "bytes 0-99/\(size)")
            #expect(Array(buffer: head.body) == Array(bytes[0..<100]))
            let suffix = try await get([.range: "bytes=-10"])
            #expect(suffix.status == .partialContent && Array(buffer: suffix.body) == Array(bytes[(size - 10)...]))
            #expect(suffix.headers[.contentRange] == "bytes \(size - 10)-\(size - 1)/\(size)")
            let tail = try await get([.range: "bytes=\(size - 5)-\(size + 100)"])
            #expect(tail.status == .partialContent && tail.body.readableBytes == 5)
            let outside = try await get([.range: "bytes=\(size)-"])
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(size)")
            // If-Range with another tag: the whole file; with the current one: the range.
            let stale = try await get([.range: "bytes=0-9", .ifRange: "\"s1-0-0\""])
            #expect(stale.status == .ok && stale.body.readableBytes == size)
            let current = try await get([.range: "bytes=0-9", .ifRange: etag])
            #expect(current.status == .partialContent && current.body.readableBytes == 10)
            let cached = try await get([.ifNoneMatch: etag])
            #expect(cached.status == .notModified && cached.body.readableBytes == 0)
            // The same file under the name players want; another extension is not it.
            for (alias, status) in [("file.mp4", HTTPResponse.Status.ok), ("file.webm", .notFound)] {
                let other = "/v1/segments/\(segment.id)/\(alias)"
                try await client.execute(uri: other, method: .get, headers: RecordedChannelFixture.signed(other, gateway: gateway)) { response in
                    #expect(response.status == status, "\(alias)")
                }
            }
        }
    }

    @Test func rowsPointingOutsideTheRecordingsDirectoryAreNotServed() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        let index = gateway.environment.recordings
        // A file outside `recordings/` that a forged or corrupt row names.
        let outside = gateway.directory + "/secret.mp4"
        try Data("secret".utf8).write(to: URL(filePath: outside))
        let escaped = try index.openSegment(
            SegmentRow(recordingID: recorded.recordings[0], channel: "cam-1", path: "recordings/../secret.mp4", start: 1, videoCodec: nil, audioCodec: nil))
        let linked = gateway.environment.segmentPaths.absolute("recordings/cam-1/link.mp4")
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: outside)
        let symlink = try index.openSegment(
            SegmentRow(recordingID: recorded.recordings[0], channel: "cam-1", path: "recordings/cam-1/link.mp4", start: 2, videoCodec: nil, audioCodec: nil))
        try await gateway.application().test(.router) { client in
            for id in [escaped, symlink] {
                let uri = "/v1/segments/\(id)/file"
                try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway)) { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("secret"))
                }
            }
        }
    }
}
