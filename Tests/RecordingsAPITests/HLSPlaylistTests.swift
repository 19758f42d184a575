import Foundation
import Testing

@testable import RecordingsAPI

@Suite struct HLSPlaylistTests {
    @Test func fragmentsOverlappingTheSpanFromTheirEnds() {
        let ends: [(offset: Int64, length: Int64, endMicros: Int64)] = [(1000, 500, 1_000_000), (1500, 400, 2_000_000), (1900, 300, 3_000_000)]
        let all = HLSPlaylist.fragments(ofFileStartingAt: 10_000_000, ends: ends, from: 0, to: .max)
        #expect(all.map(\.startMicros) == [0, 1_000_000, 2_000_000])
        #expect(all.map(\.durationMicros) == [1_000_000, 1_000_000, 1_000_000])
        // [11.5 s, 12.2 s) touches the second and third fragments only.
        let middle = HLSPlaylist.fragments(ofFileStartingAt: 10_000_000, ends: ends, from: 11_500_000, to: 12_200_000)
        #expect(middle.map(\.offset) == [1500, 1900])
    }

    @Test func playlistHasMapsByteRangesAndADiscontinuityAtTheGap() {
        let first = HLSPlaylist.File(
            uri: "/v1/segments/1/file", start: 0, headerLength: 800,
            fragments: [.init(offset: 800, length: 100, startMicros: 0, durationMicros: 1_000_000), .init(offset: 900, length: 50, startMicros: 1_000_000, durationMicros: 2_400_000)])
        // The second file follows the first (3.4 s) without a gap; the third after one.
        let second = HLSPlaylist.File(uri: "/v1/segments/2/file", start: 3_400_000, headerLength: 700, fragments: [.init(offset: 700, length: 70, startMicros: 0, durationMicros: 33_333)])
        let third = HLSPlaylist.File(uri: "/v1/segments/3/file", start: 60_000_000, headerLength: 700, fragments: [.init(offset: 700, length: 70, startMicros: 0, durationMicros: 33_333)])
        let lines = HLSPlaylist(files: [first, second, third]).text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#EXTM3U" && lines.last == "#EXT-X-ENDLIST")
        // 2.4 s rounds to 2; the target is at least every rounded duration (RFC 8216 §4.3.3.1).
        #expect(lines.contains("#EXT-X-TARGETDURATION:2"))
        #expect(lines.contains("#EXT-X-MAP:URI=\"/v1/segments/1/file\",BYTERANGE=\"800@0\""))
        #expect(lines.contains("#EXT-X-BYTERANGE:50@900"))
        #expect(lines.contains("#EXTINF:2.400000,"))
        #expect(lines.contains("#EXTINF:0.033333,"))
        #expect(lines.filter { $0 == "#EXT-X-DISCONTINUITY" }.count == 1)
        #expect(lines.contains("#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:00.000000Z"))
        let discontinuity = lines.firstIndex(of: "#EXT-X-DISCONTINUITY")!
        #expect(lines[discontinuity + 2].hasPrefix("#EXT-X-MAP:URI=\"/v1/segments/3/file\""))
        #expect(lines.filter { $0.hasPrefix("#EXT-X-MAP:") }.count == 3)
    }

    @Test func gapsBetweenSpans() {
        let spans: [(start: Int64, end: Int64)] = [(0, 60_000_000), (60_000_100, 120_000_000), (200_000_000, 260_000_000), (130_000_000, 140_000_000)]
        let gaps = RecordedSpans.gaps(spans)
        #expect(gaps.map(\.from) == [120_000_000, 140_000_000])
        #expect(gaps.map(\.to) == [130_000_000, 200_000_000])
        #expect(RecordedSpans.gaps([(0, 100), (50, 80), (90, 200)]).isEmpty)
    }
}

@Suite struct JSONWriterTests {
    @Test func segmentPagesMatchTheCodableForm() throws {
        let segment = RecordingsAPI.Segment(
            id: 7, recordingId: 3, channel: "cam \"one\"\\\n", start: "2026-11-26T10:00:00.000000Z", end: "2026-11-26T10:01:00.000000Z",
            durationSeconds: 59.966, bytes: 123_456, videoCodec: "H264", audioCodec: nil, width: 1280, height: 720, keyframes: 30, frames: 1799,
            state: "complete", contentType: "video/mp4")
        var whole = segment
        whole.durationSeconds = 60
        let page = RecordingsAPI.SegmentPage(
            segments: [segment, whole], gaps: [.init(from: "2026-11-26T10:02:00.000000Z", to: "2026-11-26T10:03:00.000000Z", seconds: 60.5)], nextToken: "5.7")
        let decoded = try JSONDecoder().decode(RecordingsAPI.SegmentPage.self, from: Data(page.json))
        #expect(decoded == page)
        let empty = RecordingsAPI.SegmentPage(segments: [], gaps: [], nextToken: nil)
        #expect(String(decoding: empty.json, as: UTF8.self) == #"{"gaps":[],"segments":[]}"#)
    }
}
