/// Reads a structured input out of fuzzer bytes: records of a kind byte and a
/// length-prefixed body, so one input can drive a state machine through many steps.
/// Every read succeeds: past the end it yields zeros and empty bodies.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uint16() -> UInt16 {
        UInt16(byte()) << 8 | UInt16(byte())
    }

    public mutating func uint32() -> UInt32 {
        UInt32(uint16()) << 16 | UInt32(uint16())
    }

    /// Up to `count` bytes (fewer at the end).
    public mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return offset < end ? Array(bytes[offset..<end]) : []
    }

    /// A body of a big-endian 16-bit length and that many bytes.
    public mutating func body() -> [UInt8] {
        take(Int(uint16()))
    }

    /// Everything left.
    public mutating func rest() -> [UInt8] {
        take(bytes.count - offset)
    }

    /// Writes a record the way the targets read it (for seeds): header bytes (a kind, and
    /// for some targets a second selector), then a body behind its 16-bit length.
    public static func record(_ header: UInt8..., body: [UInt8]) -> [UInt8] {
        let length = min(body.count, Int(UInt16.max))
        return header + [UInt8(length >> 8), UInt8(length & 0xFF)] + body.prefix(length)
    }
}
