import SDP

/// Places a source's timestamps on one output timeline that viewers see as a single
/// continuous stream: each opening of the source (a file's next loop, a reconnect to a
/// camera) continues just after the last frame sent, and a timestamp that jumps (a camera
/// that restarted its clock) re-anchors to the elapsed time instead of carrying the jump
/// into RTP, where receivers would stall or skip (RFC 3550 §5.1: timestamps advance with
/// the sampling clock). Sans-I/O: fed source times and elapsed time, in microseconds.
public struct SourceClock: Sendable {
    /// Output minus source time for the current opening; nil until its first frame.
    private var offset: Int64?
    private var latest: [SDPCodec.Kind: Int64] = [:]
    /// Output times may run this far from the elapsed time before they re-anchor.
    public static let maxDrift: Int64 = 5_000_000
    /// A kind's times may step back this far (containers interleave kinds loosely).
    public static let maxBackward: Int64 = 200_000
    /// The gap left between the last frame of one opening and the first of the next.
    public static let restartGap: Int64 = 20_000

    public init() {}

    /// The source opens again: its timestamps start over.
    public mutating func restart() { offset = nil }

    /// The output time (µs) of a frame at `sourceTime` of the current opening, `elapsed` µs
    /// after the publisher started.
    public mutating func place(_ sourceTime: Int64, kind: SDPCodec.Kind, elapsed: Int64) -> Int64 {
        if let offset {
            let time = sourceTime + offset
            let ordered = latest[kind].map { time >= $0 - Self.maxBackward } ?? true
            if ordered, abs(time - elapsed) <= Self.maxDrift {
                latest[kind] = max(latest[kind] ?? time, time)
                return time
            }
        }
        // A new anchor: now, or just after the last frame sent if that is later.
        let after = (latest.values.max() ?? -Self.restartGap) + Self.restartGap
        let anchor = max(elapsed, after)
        offset = anchor - sourceTime
        latest[kind] = max(latest[kind] ?? anchor, anchor)
        return anchor
    }
}
