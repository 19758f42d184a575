import Foundation
import HummingbirdTesting
import Recording
import RecordingsAPI
import Testing

@testable import Gateway

/// A segment being written shows how far it has come; playbacks are bounded.
@Suite struct OpenSegmentTests {
    @Test func anOpenSegmentReportsItsFileSoFar() async throws {
        let gateway = try GatewayFixture()
        defer { gateway.remove() }
        let recorded = try await RecordedChannelFixture(gateway: gateway)
        let paths = gateway.environment.segmentPaths
        // A copy of a finished file stands for one being written (its row still open).
        let relative = "recordings/cam-1/2026/11/26/20261126T100100.000000Z.mp4"
        try FileManager.default.copyItem(atPath: paths.absolute(recorded.segments[0].path), toPath: paths.absolute(relative))
        let start = RecordedChannelFixture.start + 60_000_000
        let id = try gateway.environment.recordings.openSegment(
            SegmentRow(recordingID: recorded.recordings[1], channel: "cam-1", path: relative, start: start, videoCodec: "H264", audioCodec: "opus"))
        let size = Int64(try FileManager.default.attributesOfItem(atPath: paths.absolute(relative))[.size] as? Int ?? 0)
        try await gateway.application().test(.router) { client in
            let uri = "/v1/segments/\(id)"
            try await client.execute(uri: uri, method: .get, headers: RecordedChannelFixture.signed(uri, gateway: gateway)) { response in
                let segment = try JSONDecoder().decode(RecordingsAPI.Segment.self, from: Data(buffer: response.body))
                #expect(segment.state == "open" && segment.bytes == size && segment.bytes > 0)
                // The file was written just now: its end is the last write, well after its start.
                #expect(segment.durationSeconds > 0 && RFC3339Time.parse(segment.end)! > start)
            }
        }
    }

    @Test func playbacksAreBounded() {
        let count = PlaybackRoutes.PlaybackCount()
        for _ in 0..<PlaybackRoutes.maxConcurrentPlaybacks { #expect(count.enter()) }
        #expect(!count.enter())
        count.leave()
        #expect(count.enter())
    }
}
