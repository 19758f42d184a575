/// The sender's recent packets, to answer NACKs (RFC 4585 §6.2.1): at most `capacity`
/// packets by sequence number, none older than `maxAge`. A retransmission is only useful
/// while the receiver still waits for the packet (about a round trip plus its jitter
/// buffer), so the age bound keeps memory at roughly one `maxAge` of the stream's bitrate.
/// A NACK for a packet no longer held is counted as a miss. The slots start few and double
/// while packets younger than `maxAge` would be overwritten, so an audio stream or a low
/// bitrate holds little memory.
public struct RetransmissionBuffer: Sendable {
    public let capacity: Int
    public let maxAge: Duration
    public private(set) var misses = 0
    private var slots: [(packet: RTPPacket, stored: ContinuousClock.Instant)?]
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
        slots = Array(repeating: nil, count: min(Self.initialSlots, powerOfTwo))
    }

    /// Slots allocated now.
    public var allocatedSlots: Int { slots.count }

    /// Packets held now (after the last store's pruning).
    public var count: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    public mutating func store(_ packet: RTPPacket, now: ContinuousClock.Instant = .now) {
        while slots.count < capacity, let held = slots[slot(packet.sequenceNumber)], held.packet.sequenceNumber != packet.sequenceNumber,
            now - held.stored <= maxAge
        {
            grow()
        }
        slots[slot(packet.sequenceNumber)] = (packet, now)
        if newest == nil || Int16(bitPattern: packet.sequenceNumber &- newest!) > 0 { newest = packet.sequenceNumber }
        if oldest == nil { oldest = packet.sequenceNumber }
        prune(now: now)
    }

    /// The stored packets for NACKed sequence numbers, in the order asked.
    public mutating func packets(for sequences: [UInt16], now: ContinuousClock.Instant = .now) -> [RTPPacket] {
        sequences.compactMap { sequence in
            guard let entry = slots[slot(sequence)], entry.packet.sequenceNumber == sequence, now - entry.stored <= maxAge else {
                misses += 1
                return nil
            }
            return entry.packet
        }
    }

    private func slot(_ sequence: UInt16) -> Int { Int(sequence) % slots.count }

    /// Twice the slots, every held packet moved to its new slot.
    private mutating func grow() {
        let held = slots.compactMap { $0 }
        slots = Array(repeating: nil, count: slots.count * 2)
        for entry in held { slots[slot(entry.packet.sequenceNumber)] = entry }
    }

    /// Frees the slots of packets older than `maxAge`, oldest first; stops at the first
    /// packet still young enough.
    private mutating func prune(now: ContinuousClock.Instant) {
        guard var first = oldest, let last = newest else { return }
        if Int(last &- first) >= slots.count { first = last &- UInt16(slots.count - 1) }
        while first != last {
            let index = slot(first)
            if let entry = slots[index], entry.packet.sequenceNumber == first, now - entry.stored <= maxAge { break }
            if slots[index]?.packet.sequenceNumber == first { slots[index] = nil }
            first &+= 1
        }
        oldest = first
    }
}
