/// Gaps in recorded time: where, between consecutive segments, nothing was recorded for
/// longer than `threshold` (a rotation leaves no gap; a camera or recorder outage does).
public enum RecordedSpans {
    /// One second: more than any frame interval, less than any outage worth listing.
    public static let defaultThreshold: Int64 = 1_000_000

    /// Gaps between `spans` (start, end in Unix µs), which may come in any order and overlap.
    public static func gaps(_ spans: [(start: Int64, end: Int64)], threshold: Int64 = defaultThreshold) -> [(from: Int64, to: Int64)] {
        var out: [(from: Int64, to: Int64)] = []
        var reach: Int64?
        for span in spans.sorted(by: { $0.start < $1.start }) {
            if let covered = reach, span.start - covered > threshold { out.append((covered, span.start)) }
            reach = max(reach ?? span.end, span.end)
        }
        return out
    }
}
