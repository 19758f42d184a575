/// The sender's recent packets, to answer NACKs (RFC 4585 §6.2.1): at most `capacity`
/// packets by sequence number, none older than `maxAge`. A retransmission is only useful
/// while the receiver still waits for the packet (about a round trip plus its jitter
/// buffer), so the age bound keeps memory at roughly one `maxAge` of the stream's bitrate.
/// A NACK for a packet no longer held is counted as a miss. The slots start few and double
/// while packets younger than `maxAge` would be overwritten, so an audio stream or a low
/// bitrate holds little memory. Sequence numbers and times sit apart from the packets, so
/// the per-packet bookkeeping never touches (retains) a stored packet. Packets are held as
/// ``RTPSentPacket``s: a frame of many packets is held once.
public struct RetransmissionBuffer: Sendable {
    public let capacity: Int
    public let maxAge: Duration
    public private(set) var misses = 0
    private var packets: [RTPSentPacket?]
    /// The sequence number held in each slot, -1 when empty.
    private var sequences: [Int32]
    private var storedAt: [ContinuousClock.Instant]
    /// Sequence numbers of the oldest and newest packets that may be held.
    private var oldest: UInt16?
    private var newest: UInt16?

    /// Slots allocated at first.
    static let initialSlots = 64

    /// - Parameter capacity: packets held at most, rounded down to a power of two (up to
    ///   32768) so that the slot of a sequence number stays the same across its wrap.
    public init(capacity: Int = 1024, maxAge: Duration = .seconds(1)) {
        var powerOfTwo = 1
        while powerOfTwo * 2 <= min(max(capacity, 1), 32_768) { powerOfTwo *= 2 }
        self.capacity = powerOfTwo
        self.maxAge = maxAge
        let slots = min(Self.initialSlots, powerOfTwo)
        packets = Array(repeating: nil, count: slots)
        sequences = Array(repeating: -1, count: slots)
        storedAt = Array(repeating: .now, count: slots)
    }

    /// Slots allocated now.
    public var allocatedSlots: Int { packets.count }

    /// Packets held now (after the last store's pruning).
    public var count: Int { sequences.reduce(0) { $0 + ($1 < 0 ? 0 : 1) } }

    /// Holds `packet` (its CSRCs and header extensions are not kept).
    public mutating func store(_ packet: RTPPacket, now: ContinuousClock.Instant = .now) {
        store(RTPSentPacket(packet), now: now)
    }

    public mutating func store(_ packet: RTPSentPacket, now: ContinuousClock.Instant) {
        let sequence = packet.sequenceNumber
        while packets.count < capacity, sequences[slot(sequence)] >= 0, sequences[slot(sequence)] != Int32(sequence),
            now - storedAt[slot(sequence)] <= maxAge
        {
            grow()
        }
        let index = slot(sequence)
        packets[index] = packet
        sequences[index] = Int32(sequence)
        storedAt[index] = now
        if newest == nil || Int16(bitPattern: sequence &- newest!) > 0 { newest = sequence }
        if oldest == nil { oldest = sequence }
        prune(now: now)
    }

    /// The stored packets for NACKed sequence numbers, in the order asked.
    public mutating func packets(for requested: [UInt16], now: ContinuousClock.Instant = .now) -> [RTPPacket] {
        requested.compactMap { sequence in
            let index = slot(sequence)
            guard sequences[index] == Int32(sequence), now - storedAt[index] <= maxAge, let packet = packets[index] else {
                misses += 1
                return nil
            }
            return packet.packet
        }
    }

    private func slot(_ sequence: UInt16) -> Int { Int(sequence) & (packets.count - 1) }

    /// Twice the slots, every held packet moved to its new slot.
    private mutating func grow() {
        let held = packets.indices.compactMap { sequences[$0] >= 0 ? (packets[$0], sequences[$0], storedAt[$0]) : nil }
        let slots = packets.count * 2
        packets = Array(repeating: nil, count: slots)
        sequences = Array(repeating: -1, count: slots)
        storedAt = Array(repeating: storedAt[0], count: slots)
        for (packet, sequence, time) in held {
            let index = slot(UInt16(sequence))
            (packets[index], sequences[index], storedAt[index]) = (packet, sequence, time)
        }
    }

    /// Frees the slots of packets older than `maxAge`, oldest first; stops at the first
    /// packet still young enough.
    private mutating func prune(now: ContinuousClock.Instant) {
        guard var first = oldest, let last = newest else { return }
        if Int(last &- first) >= packets.count { first = last &- UInt16(packets.count - 1) }
        while first != last {
            let index = slot(first)
            let held = sequences[index] == Int32(first)
            if held, now - storedAt[index] <= maxAge { break }
            if held {
                packets[index] = nil
                sequences[index] = -1
            }
            first &+= 1
        }
        oldest = first
    }
}
