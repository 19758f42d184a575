import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Recording
import RecordingsAPI
import Testing

/// The listing, metadata and delete endpoints of the recordings API over a channel with
/// real segment files (``RecordedChannelFixture``), through Hummingbird's test client.
@Suite struct RecordingsRoutesTests {
    static let start = RecordedChannelFixture.start

    func time(_ seconds: Double) -> String { RFC3339Time.format(Self.start + Int64(seconds * 1_000_000)) }

    func get<T: Decodable>(_ client: some TestClientProtocol, _ uri: String, _ gateway: GatewayFixture, as _: T.Type) async throws -> T {
        try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway)) { response in
            #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
            return try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
        }
    }

    @Test func listsChannelsAndSegmentsWithTheGapBetweenRecordings() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            let channels = try await get(client, "/v1/recordings", gateway, as: RecordingsAPI.ChannelList.self)
            #expect(channels.channels.map(\.channel) == ["cam-1"])
            #expect(channels.channels.first?.segments == 3)
            #expect(channels.channels.first?.bytes == recorded.segments.reduce(0) { $0 + $1.bytes })
            #expect(channels.channels.first?.first == time(0) && channels.channels.first?.last == time(16))

            let page = try await get(client, "/v1/channels/cam-1/segments", gateway, as: RecordingsAPI.SegmentPage.self)
            #expect(page.segments.map(\.id) == recorded.segments.map(\.id))
            #expect(page.segments.first?.file == "/v1/segments/\(recorded.segments[0].id)/file.mp4")
            #expect(page.segments.allSatisfy { $0.contentType == "video/mp4" && $0.state == "complete" && $0.width == 320 })
            #expect(page.gaps == [RecordingsAPI.Gap(from: time(4), to: time(14), seconds: 10)])
            #expect(page.nextToken == nil)

            let recordings = try await get(client, "/v1/channels/cam-1/recordings", gateway, as: RecordingsAPI.RecordingPage.self)
            #expect(recordings.recordings.map(\.id) == recorded.recordings)
            #expect(recordings.recordings.first?.ended == time(4))
            let one = try await get(client, "/v1/recordings/\(recorded.recordings[0])/segments", gateway, as: RecordingsAPI.SegmentPage.self)
            #expect(one.segments.count == 2 && one.gaps.isEmpty)
            let segment = try await get(client, "/v1/segments/\(recorded.segments[2].id)", gateway, as: RecordingsAPI.Segment.self)
            #expect(segment.start == time(14) && segment.end == time(16) && segment.durationSeconds == 2 && segment.recordingId == recorded.recordings[1])
        }
    }

    @Test func timeFiltersAtSegmentBoundaries() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        let ids = recorded.segments.map(\.id)
        try await gateway.application().test(.router) { client in
            // [from, to): a segment ending exactly at `from` is out, one starting exactly at `to` is out.
            let cases: [(Double, Double, [Int64])] = [(2, 14, [ids[1]]), (0, 2, [ids[0]]), (1.999, 2.001, [ids[0], ids[1]]), (4, 14, []), (3, 15, [ids[1], ids[2]])]
            for (from, to, expected) in cases {
                let uri = "/v1/channels/cam-1/segments?from=\(time(from))&to=\(time(to))"
                let page = try await get(client, uri, gateway, as: RecordingsAPI.SegmentPage.self)
                #expect(page.segments.map(\.id) == expected, "[\(from), \(to))")
            }
            let recordings = try await get(client, "/v1/channels/cam-1/recordings?from=\(time(4))&to=\(time(20))", gateway, as: RecordingsAPI.RecordingPage.self)
            #expect(recordings.recordings.map(\.id) == [recorded.recordings[1]])
        }
    }

    @Test func pagesInBothOrdersWithoutRepeats() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            for order in ["asc", "desc"] {
                var seen: [Int64] = []
                var next: String?
                repeat {
                    let uri = "/v1/channels/cam-1/segments?limit=2&order=\(order)" + (next.map { "&next=\($0)" } ?? "")
                    let page = try await get(client, uri, gateway, as: RecordingsAPI.SegmentPage.self)
                    #expect(page.segments.count <= 2)
                    seen += page.segments.map(\.id)
                    next = page.nextToken
                } while next != nil && seen.count < 10
                let ids = recorded.segments.map(\.id)
                #expect(seen == (order == "asc" ? ids : ids.reversed()), "\(order)")
            }
        }
    }

    @Test func badParametersAndUnknownIdsAreClearErrors() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        _ = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/v1/channels/cam-1/segments?from=yesterday", .badRequest, "from must be an RFC 3339"),
                ("/v1/channels/cam-1/segments?limit=5001", .badRequest, "limit"),
                ("/v1/channels/cam-1/segments?next=..%2F..%2Fetc", .badRequest, "next"),
                ("/v1/segments/999", .notFound, "no segment 999"),
                ("/v1/segments/abc", .badRequest, "positive integer"),
                ("/v1/segments/..%2F..%2Fetc%2Fpasswd/file", .badRequest, "positive integer"),
                ("/v1/recordings/-1", .badRequest, "positive integer"),
                ("/v1/recordings/77", .notFound, "no recording 77"),
            ]
            for (uri, status, words) in cases {
                try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway)) { response in
                    #expect(response.status == status, "\(uri)")
                    let body = try JSONDecoder().decode(RecordingsAPI.ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.message.contains(words), "\(uri): \(body.message)")
                }
            }
        }
    }

    @Test func nothingIsAnonymous() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            for uri in ["/v1/recordings", "/v1/storage", "/v1/channels/cam-1/segments", "/v1/segments/\(recorded.segments[0].id)/file", "/v1/channels/cam-1/playback.mp4"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
            // Signed for another path: refused.
            try await client.execute(uri: "/v1/storage", method: .get, headers: RecordedChannelFixture.signed("/v1/recordings", gateway: gateway)) { response in
                #expect(response.status == .forbidden)
            }
            // A presigned URL works until it expires.
            let path = "/v1/segments/\(recorded.segments[0].id)"
            try await client.execute(uri: RecordedChannelFixture.presigned(path, gateway: gateway), method: .get) { response in
                #expect(response.status == .ok)
            }
            let stale = RecordedChannelFixture.presigned(path, gateway: gateway, expires: 60, at: Int(Date().timeIntervalSince1970) - 3600)
            try await client.execute(uri: stale, method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("expired"))
            }
        }
    }

    @Test func deletesRecordingsAndRangesWithTheirFiles() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        let paths = gateway.environment.segmentPaths
        let index = gateway.environment.recordings
        let live = try index.startRecording(channel: "cam-1", role: .viewer, videoCodec: "H264", audioCodec: nil, at: Self.start + 30_000_000)
        try await gateway.application().test(.router) { client in
            func delete(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .delete, headers: RecordedChannelFixture.signed(uri, method: "DELETE", gateway: gateway)) { response in
                    (response.status, String(buffer: response.body))
                }
            }
            let (refused, why) = try await delete("/v1/recordings/\(live)")
            #expect(refused == .conflict && why.contains("still being written"))
            let (needsBounds, _) = try await delete("/v1/channels/cam-1/segments?from=\(time(0))")
            #expect(needsBounds == .badRequest)
            // [1 s, 4 s): the first segment only overlaps, the second lies inside.
            let (status, body) = try await delete("/v1/channels/cam-1/segments?from=\(time(1))&to=\(time(4))")
            #expect(status == .ok)
            let result = try JSONDecoder().decode(RecordingsAPI.DeleteResult.self, from: Data(body.utf8))
            #expect(result.deletedSegments == 1 && result.keptSegments == 1 && result.deletedBytes == recorded.segments[1].bytes)
            #expect(!FileManager.default.fileExists(atPath: paths.absolute(recorded.segments[1].path)))
            #expect(FileManager.default.fileExists(atPath: paths.absolute(recorded.segments[0].path)))

            let (gone, _) = try await delete("/v1/recordings/\(recorded.recordings[1])")
            #expect(gone == .ok)
            #expect(!FileManager.default.fileExists(atPath: paths.absolute(recorded.segments[2].path)))
            #expect(try index.recording(recorded.recordings[1]) == nil)
            #expect(try index.segment(recorded.segments[2].id) == nil)
            #expect(try index.segment(recorded.segments[0].id) != nil)
        }
    }

    @Test func storageSummarySumsChannels() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        try await gateway.application().test(.router) { client in
            let storage = try await get(client, "/v1/storage", gateway, as: RecordingsAPI.StorageSummary.self)
            #expect(storage.channels == [.init(channel: "cam-1", segments: 3, bytes: recorded.segments.reduce(0) { $0 + $1.bytes })])
            #expect(storage.totalBytes == storage.channels[0].bytes)
            #expect(storage.freeBytes > 0 && storage.capacityBytes >= storage.freeBytes)
        }
    }
}
