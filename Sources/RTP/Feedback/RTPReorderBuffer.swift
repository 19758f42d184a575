/// Puts received RTP packets back in sequence order (sans-I/O: fed packets and time). A
/// gap is waited for (a NACK may bring the packet back) for at most `maxWait`, or until
/// `capacity` packets are held; then the missing packets are given up and counted.
///
/// The stream's start is held for `startupWait`: over a link with jitter the first packets
/// of a burst (a keyframe) arrive out of order, and whichever came first would otherwise
/// fix the start, so the ones sent before it would be dropped as late — the whole first
/// frame lost (RFC 3550 §A.1 leaves the start to the receiver).
public struct RTPReorderBuffer: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public let capacity: Int
    public var maxWait: Duration
    public let startupWait: Duration
    public private(set) var lost = 0
    public private(set) var duplicates = 0
    /// Packets that arrived after their place was given up.
    public private(set) var late = 0

    private var unwrapper = SequenceUnwrapper()
    private var held: [Int64: (packet: RTPPacket, arrival: Instant)] = [:]
    private var next: Int64?
    /// Until when the first packets are held to find the earliest (nil once started).
    private var startDeadline: Instant?

    public init(capacity: Int = 512, maxWait: Duration = .milliseconds(300), startupWait: Duration = .milliseconds(100)) {
        self.capacity = max(capacity, 2)
        self.maxWait = maxWait
        self.startupWait = max(startupWait, .zero)
    }

    /// What one inserted packet releases: the packet itself in the common case (no array
    /// built), else the packets now deliverable in order (possibly none).
    public enum Release: Sendable {
        case one(RTPPacket)
        case many([RTPPacket])

        public var packets: [RTPPacket] {
            switch self {
            case .one(let packet): [packet]
            case .many(let packets): packets
            }
        }
    }

    /// Adds a packet; returns the packets now deliverable in order.
    public mutating func insert(_ packet: RTPPacket, now: Instant) -> [RTPPacket] {
        admit(packet, now: now).packets
    }

    /// Adds a packet; returns what it releases.
    public mutating func admit(_ packet: RTPPacket, now: Instant) -> Release {
        let sequence = unwrapper.unwrap(packet.sequenceNumber)
        if next == nil {
            guard startupWait > .zero else {
                next = sequence + 1
                return .one(packet)
            }
            return .many(holdAtStart(packet, sequence: sequence, now: now))
        }
        guard let expected = next, sequence >= expected else {
            late += 1
            return .many([])
        }
        // The common case: the expected packet with nothing held goes straight through.
        if sequence == expected, held.isEmpty {
            next = sequence + 1
            return .one(packet)
        }
        guard held.index(forKey: sequence) == nil else {
            duplicates += 1
            return .many([])
        }
        held[sequence] = (packet, now)
        var out = popInOrder()
        if held.count > capacity { out += skipToOldestHeld() }
        return .many(out)
    }

    /// Gives up gaps that waited `maxWait`; returns what that releases.
    public mutating func expire(now: Instant) -> [RTPPacket] {
        var out: [RTPPacket] = []
        if let startDeadline {
            guard now >= startDeadline else { return [] }
            out = start()
        }
        while let oldest = held.values.map(\.arrival).min(), now - oldest >= maxWait {
            out += skipToOldestHeld()
        }
        return out
    }

    /// How long a gap is worth waiting for when NACKs can bring it back: four request
    /// rounds (the NACK generator asks again each round trip, RFC 4585 §6.2.1) plus 100 ms
    /// for jitter, at least the 300 ms default and at most 2 s. Over a link losing 5 % each
    /// way a round fails about one time in ten, so four leave about one lost packet in
    /// 10,000 given up; with no round trip measured yet, the default. A receiver that reads
    /// its socket every `readInterval` sees a gap and its retransmission up to that much
    /// later: each round lasts a round trip plus one interval.
    public static func waitForRetransmission(roundTripTime: Duration?, readInterval: Duration = .zero) -> Duration {
        guard let roundTripTime else { return .milliseconds(300) }
        return min(max(.milliseconds(300), (roundTripTime + readInterval) * 4 + .milliseconds(100)), .seconds(2))
    }

    /// Whether the stream has started: its first packets are no longer held to find the
    /// earliest (a keyframe request before then would only race the keyframe on its way).
    public var hasStarted: Bool { next != nil }

    /// When ``expire(now:)`` has work: the oldest held packet's deadline.
    public var nextDeadline: Instant? {
        startDeadline ?? held.values.map(\.arrival).min().map { $0 + maxWait }
    }

    /// Holds a packet of the stream's start; starts at the earliest once `startupWait` has
    /// passed (see ``expire(now:)``) or `capacity` packets are held.
    private mutating func holdAtStart(_ packet: RTPPacket, sequence: Int64, now: Instant) -> [RTPPacket] {
        if startDeadline == nil { startDeadline = now + startupWait }
        guard held.index(forKey: sequence) == nil else {
            duplicates += 1
            return []
        }
        held[sequence] = (packet, now)
        return held.count > capacity ? start() : []
    }

    /// Starts the stream at the earliest held packet; returns what is then in order.
    private mutating func start() -> [RTPPacket] {
        startDeadline = nil
        next = held.keys.min()
        return popInOrder()
    }

    private mutating func popInOrder() -> [RTPPacket] {
        var out: [RTPPacket] = []
        while let expected = next, let entry = held.removeValue(forKey: expected) {
            out.append(entry.packet)
            next = expected + 1
        }
        return out
    }

    private mutating func skipToOldestHeld() -> [RTPPacket] {
        guard let first = held.keys.min(), let expected = next else { return [] }
        lost += Int(first - expected)
        next = first
        return popInOrder()
    }
}
