/// What part of a file a GET answers, from its `Range` and `If-Range` headers
/// (RFC 9110 §14.2, §13.1.5): the whole file (200), one range (206) or nothing (416).
public enum ByteRangeAnswer: Sendable, Equatable {
    case whole
    /// First and last byte offsets, inclusive.
    case partial(ClosedRange<Int64>)
    case unsatisfiable

    /// - Parameters:
    ///   - range: the `Range` header, if any.
    ///   - ifRange: the `If-Range` header, if any; a Range applies only when it is the
    ///     file's current strong entity tag (a date or a weak tag never matches here).
    ///   - etag: the file's current strong entity tag, quotes included.
    ///   - size: the file's length.
    ///
    /// Rules: units other than `bytes` and malformed headers are ignored (§14.2: a server
    /// MAY ignore Range); several ranges are answered with the whole file (no
    /// multipart/byteranges); a last position past the end is cut to the end (§14.1.2); a
    /// range starting at or past the end, or a zero-length suffix, is unsatisfiable.
    public init(range: String?, ifRange: String?, etag: String, size: Int64) {
        guard let range else {
            self = .whole
            return
        }
        if let ifRange, ifRange.trimmingSpaces != etag || etag.hasPrefix("W/") {
            self = .whole
            return
        }
        let text = range.trimmingSpaces
        guard text.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let specs = text.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard specs.count == 1, let spec = specs.first, let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = String(spec[..<dash])
        let last = String(spec[spec.index(after: dash)...])
        func digits(_ text: String) -> Int64? {
            guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int64(text)
        }
        if first.isEmpty {
            // Suffix: the last N bytes.
            guard let length = digits(last) else {
                self = .whole
                return
            }
            guard length > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, size - length)...(size - 1))
            return
        }
        guard let start = digits(first) else {
            self = .whole
            return
        }
        var end = size - 1
        if !last.isEmpty {
            guard let value = digits(last), value >= start else {
                self = .whole
                return
            }
            end = min(value, size - 1)
        }
        guard start < size else {
            self = .unsatisfiable
            return
        }
        self = .partial(start...end)
    }
}

/// Whether an `If-None-Match` header matches the current entity tag (RFC 9110 §13.1.2: weak
/// comparison, `*` matches any).
public func entityTagMatches(ifNoneMatch: String?, etag: String) -> Bool {
    guard let ifNoneMatch else { return false }
    func opaque(_ tag: String) -> String { tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
    return ifNoneMatch.split(separator: ",").contains { candidate in
        let tag = String(candidate).trimmingSpaces
        return tag == "*" || opaque(tag) == opaque(etag)
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
