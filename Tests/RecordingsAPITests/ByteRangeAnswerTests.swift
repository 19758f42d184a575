import Testing

@testable import RecordingsAPI

/// RFC 9110 §14.1.2 / §14.2 / §13.1.5 cases.
@Suite struct ByteRangeAnswerTests {
    let etag = "\"s1-64-abc\""

    func answer(_ range: String?, ifRange: String? = nil, size: Int64 = 100) -> ByteRangeAnswer {
        ByteRangeAnswer(range: range, ifRange: ifRange, etag: etag, size: size)
    }

    @Test func singleRanges() {
        #expect(answer(nil) == .whole)
        #expect(answer("bytes=0-0") == .partial(0...0))
        #expect(answer("bytes=10-19") == .partial(10...19))
        #expect(answer("bytes=90-") == .partial(90...99))
        #expect(answer("bytes=90-500") == .partial(90...99))  // last position past the end is cut
        #expect(answer("bytes=-10") == .partial(90...99))
        #expect(answer("bytes=-500") == .partial(0...99))  // suffix longer than the file
        #expect(answer("BYTES=5-6") == .partial(5...6))  // the unit is case-insensitive
    }

    @Test func unsatisfiable() {
        #expect(answer("bytes=100-") == .unsatisfiable)
        #expect(answer("bytes=100-200") == .unsatisfiable)
        #expect(answer("bytes=-0") == .unsatisfiable)
        #expect(answer("bytes=0-", size: 0) == .unsatisfiable)
    }

    @Test func ignoredWhenMalformedOrMultiple() {
        for header in ["items=0-5", "bytes=5-1", "bytes=a-b", "bytes=", "bytes=-", "bytes=1-2,4-5", "bytes=99999999999999999999-"] {
            #expect(answer(header) == .whole, "\(header)")
        }
    }

    @Test func ifRangeNeedsTheCurrentStrongTag() {
        #expect(answer("bytes=0-9", ifRange: etag) == .partial(0...9))
        #expect(answer("bytes=0-9", ifRange: "\"old\"") == .whole)
        #expect(answer("bytes=0-9", ifRange: "W/\(etag)") == .whole)
        #expect(answer("bytes=0-9", ifRange: "Wed, 21 Oct 2015 07:28:00 GMT") == .whole)
    }

    @Test func ifNoneMatchUsesWeakComparison() {
        #expect(entityTagMatches(ifNoneMatch: etag, etag: etag))
        #expect(entityTagMatches(ifNoneMatch: "\"x\", W/\(etag)", etag: etag))
        #expect(entityTagMatches(ifNoneMatch: "*", etag: etag))
        #expect(!entityTagMatches(ifNoneMatch: "\"x\"", etag: etag))
        #expect(!entityTagMatches(ifNoneMatch: nil, etag: etag))
    }
}
