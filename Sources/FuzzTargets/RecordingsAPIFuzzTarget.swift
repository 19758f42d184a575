import RecordingsAPI

/// Query parameters and headers of the recordings API.
public enum RecordingsAPIFuzzTarget {
    /// The input's lines as an RFC 3339 time, a Range header against files of several
    /// sizes (RFC 9110 §14), a page token and listing parameters. Parsed times format
    /// and parse back to the same instant; a partial range lies inside the file.
    public static let queries = FuzzTarget(
        name: "recordings-query",
        summary: "recordings API inputs: RFC 3339 times (round trip), Range/If-Range (RFC 9110 §14, answers inside the file), page tokens, listing queries"
    ) { bytes in
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines {
            if let micros = RFC3339Time.parse(line) {
                FuzzCheck.expect(RFC3339Time.parse(RFC3339Time.format(micros)) == micros, "\(line) does not round-trip")
            }
            for size in [0, 1, 1000, Int64.max] as [Int64] {
                let answer = ByteRangeAnswer(range: line, ifRange: nil, etag: "\"e\"", size: size)
                if case .partial(let range) = answer {
                    FuzzCheck.expect(range.lowerBound >= 0 && range.upperBound < size, "range \(range) outside a file of \(size) bytes")
                }
            }
            _ = ByteRangeAnswer(range: "bytes=0-1", ifRange: line, etag: "\"e\"", size: 10)
            _ = entityTagMatches(ifNoneMatch: line, etag: "\"e\"")
            if let token = PageToken(line) {
                FuzzCheck.expect(PageToken(token.description) == token, "page token \(line) does not round-trip")
            }
        }
        var parameters: [String: String] = [:]
        for (name, value) in zip(["from", "to", "limit", "order", "next"], lines) { parameters[name] = value }
        if let query = try? ListingQuery(parameters, now: 1_790_000_000_000_000) {
            FuzzCheck.expect(query.from <= query.to, "a listing query from after to")
        }
    }
}
