import Testing

@testable import RecordingsAPI

@Suite struct RFC3339TimeTests {
    @Test func formatsUTCWithMicroseconds() {
        #expect(RFC3339Time.format(0) == "1970-01-01T00:00:00.000000Z")
        #expect(RFC3339Time.format(1_795_689_900_123_456) == "2026-11-26T10:45:00.123456Z")
        // Before the epoch, and a leap day.
        #expect(RFC3339Time.format(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(RFC3339Time.format(951_782_400_000_000) == "2000-02-29T00:00:00.000000Z")
    }

    @Test func parsesWhatItFormats() {
        for micros: Int64 in [0, -1, 1_795_689_900_123_456, 951_782_400_000_000, 4_102_444_799_999_999] {
            #expect(RFC3339Time.parse(RFC3339Time.format(micros)) == micros)
        }
    }

    @Test func acceptsOffsetsFractionsAndLowercase() {
        #expect(RFC3339Time.parse("2026-11-26T10:45:00Z") == 1_795_689_900_000_000)
        #expect(RFC3339Time.parse("2026-11-26t10:45:00z") == 1_795_689_900_000_000)
        #expect(RFC3339Time.parse("2026-11-26 11:45:00+01:00") == 1_795_689_900_000_000)
        #expect(RFC3339Time.parse("2026-11-26T05:15:00-05:30") == 1_795_689_900_000_000)
        #expect(RFC3339Time.parse("2026-11-26T10:45:00.5Z") == 1_795_689_900_500_000)
        // Nanoseconds: the first six digits count.
        #expect(RFC3339Time.parse("2026-11-26T10:45:00.123456789Z") == 1_795_689_900_123_456)
    }

    @Test func refusesMalformedAndOutOfRange() {
        for text in [
            "", "2026-11-26", "2026-11-26T10:45:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:60:00Z",
            "2026-11-26T10:45:00.Z", "2026-11-26T10:45:00.1234567890Z", "2026-11-26T10:45:00+0100", "2026-11-26T10:45:00Zjunk", "２０２６-11-26T10:45:00Z",
            "1795689900",
        ] {
            #expect(RFC3339Time.parse(text) == nil, "\(text)")
        }
    }
}
