/// Extends 16-bit RTP sequence numbers to 64 bits across wrap-arounds (RFC 3550 §A.1):
/// each number is placed nearest to the highest one seen.
public struct SequenceUnwrapper: Sendable {
    private var highest: Int64?

    public init() {}

    public mutating func unwrap(_ sequence: UInt16) -> Int64 {
        guard let highest else {
            self.highest = Int64(sequence) + 65_536  // room below the first for late packets
            return Int64(sequence) + 65_536
        }
        let delta = Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highest)))
        let extended = highest + delta
        if extended > highest { self.highest = extended }
        return extended
    }
}
