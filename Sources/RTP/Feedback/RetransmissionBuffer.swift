/// The sender's recent packets, to answer NACKs (RFC 4585 §6.2.1): the last `capacity`
/// packets by sequence number; a NACK for one no longer held is counted as a miss.
public struct RetransmissionBuffer: Sendable {
    public let capacity: Int
    public private(set) var misses = 0
    private var slots: [RTPPacket?]

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 1)
        slots = Array(repeating: nil, count: self.capacity)
    }

    public mutating func store(_ packet: RTPPacket) {
        slots[Int(packet.sequenceNumber) % capacity] = packet
    }

    /// The stored packets for NACKed sequence numbers, in the order asked.
    public mutating func packets(for sequences: [UInt16]) -> [RTPPacket] {
        sequences.compactMap { sequence in
            guard let packet = slots[Int(sequence) % capacity], packet.sequenceNumber == sequence else {
                misses += 1
                return nil
            }
            return packet
        }
    }
}
