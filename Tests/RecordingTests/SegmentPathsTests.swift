import Recording
import Testing

@Suite struct SegmentPathsTests {
    @Test func pathsAreDatedAndParseBack() throws {
        let paths = SegmentPaths(dataDirectory: "/data")
        // 2026-11-26T10:45:00.123456Z
        let start: Int64 = 1_795_689_900_123_456
        let relative = paths.relativePath(channel: "cam-1", start: start)
        #expect(relative == "recordings/cam-1/2026/11/26/20261126T104500.123456Z.mp4")
        #expect(paths.absolute(relative) == "/data/" + relative)
        let parsed = try #require(SegmentPaths.parse(relative))
        #expect(parsed.channelDirectory == "cam-1" && parsed.start == start)
        #expect(SegmentPaths.parse("recordings/cam-1/2026/11/26/notes.txt") == nil)
    }

    /// Names that could escape the directory or collide come out as distinct safe components.
    @Test func channelNamesAreSanitised() {
        let names = ["../etc", "a/b", "a_2f_b", "..", ".", "", "caméra", "a b", "A.b-c"]
        let safe = names.map(SegmentPaths.sanitized)
        #expect(Set(safe).count == names.count, "\(safe)")
        for component in safe {
            #expect(!component.isEmpty && component != "." && component != ".." && !component.contains("/"))
            #expect(component.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
        }
        #expect(SegmentPaths.sanitized("A.b-c") == "A.b-c")
    }
}
