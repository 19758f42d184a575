/// Decides which lost packets to ask for again with generic NACK (RFC 4585 §6.2.1):
/// a gap is requested at once, then again every round-trip time (at least `minInterval`)
/// until the packet arrives, `maxRetries` requests were made, or it is too old to matter.
public struct NACKGenerator: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public var maxRetries: Int
    public var minInterval: Duration
    /// Gaps wider than this are not requested (a stream restart, not loss).
    public var maxGap: Int64
    /// Missing packets this far behind the newest are forgotten.
    public var maxAge: Int64
    public private(set) var requested = 0
    public private(set) var recovered = 0

    private var unwrapper = SequenceUnwrapper()
    private var highest: Int64?
    /// The earliest packet seen while the stream starts (its first `startPackets` packets).
    private var lowest: Int64?
    private var seen = 0
    /// The first packet received: the start's requests reach at most `startPackets` before it.
    private var firstReceived: Int64?
    /// How many packets the start lasts: packets sent before the first one received that
    /// arrive later (reordered) show that the ones between them were lost too.
    public static let startPackets = 64
    private var missing: [Int64: (retries: Int, lastRequest: Instant?)] = [:]

    public init(maxRetries: Int = 10, minInterval: Duration = .milliseconds(20), maxGap: Int64 = 500, maxAge: Int64 = 1000) {
        self.maxRetries = maxRetries
        self.minInterval = minInterval
        self.maxGap = maxGap
        self.maxAge = maxAge
    }

    /// Records a received packet (also a retransmission).
    public mutating func received(_ sequence: UInt16) {
        let extended = unwrapper.unwrap(sequence)
        seen += 1
        guard let highest else {
            self.highest = extended
            lowest = extended
            firstReceived = extended
            return
        }
        if missing.removeValue(forKey: extended) != nil { recovered += 1 }
        if let lowest, extended < lowest {
            // Only within `maxGap` of the newest: the missing list stays one window wide
            // however many earlier packets a sender (or an attacker) sends.
            if seen <= Self.startPackets, highest - extended - 1 <= maxGap {
                for lost in (extended + 1)..<lowest { missing[lost] = (0, nil) }
                self.lowest = extended
            }
            return
        }
        if seen > Self.startPackets { lowest = nil }
        guard extended > highest else { return }
        if extended - highest - 1 <= maxGap {
            for lost in (highest + 1)..<extended { missing[lost] = (0, nil) }
        } else {
            missing.removeAll()
        }
        self.highest = extended
        if let oldest = missing.keys.min(), extended - oldest > maxAge { missing = missing.filter { extended - $0.key <= maxAge } }
    }

    /// The earliest packet so far while the stream starts (its first `startPackets` packets).
    public var earliestAtStart: UInt16? { lowest.map { UInt16(truncatingIfNeeded: $0) } }

    /// Asks for the `count` packets before the earliest one while the stream starts: that
    /// one does not begin a frame a decoder can start with, so the start was lost before
    /// any packet showed a gap (RFC 4585 §6.2.1 lets a receiver ask for any packet). No
    /// further than `startPackets` before the first packet received; a sender that never
    /// sent them ignores the request.
    public mutating func requestBeforeEarliest(count: Int) {
        guard let lowest, let firstReceived, count > 0 else { return }
        let from = max(lowest - Int64(count), firstReceived - Int64(Self.startPackets))
        guard from < lowest else { return }
        for sequence in from..<lowest where missing[sequence] == nil {
            missing[sequence] = (0, nil)
        }
    }

    /// Sequence numbers to request now, given the current round-trip time.
    public mutating func due(now: Instant, roundTripTime: Duration?) -> [UInt16] {
        let interval = max(minInterval, roundTripTime ?? minInterval)
        var out: [UInt16] = []
        for (sequence, state) in missing.sorted(by: { $0.key < $1.key }) {
            if let last = state.lastRequest, now - last < interval { continue }
            guard state.retries < maxRetries else {
                missing[sequence] = nil
                continue
            }
            missing[sequence] = (state.retries + 1, now)
            out.append(UInt16(truncatingIfNeeded: sequence))
        }
        requested += out.count
        return out
    }

    /// Sequence numbers still missing.
    public var missingCount: Int { missing.count }
}
