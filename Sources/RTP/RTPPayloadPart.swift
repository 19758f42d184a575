/// One RTP payload described against the frame it carries: a few payload-header bytes
/// (an FU header, a VP8 payload descriptor) followed by a range of the frame, or bytes of
/// its own when it gathers several pieces (STAP-A, H.265 aggregation packets). The send
/// path writes the packet from it in one go, and the retransmission buffer keeps the frame
/// once instead of a copy per packet.
public struct RTPPayloadPart: Sendable, Equatable {
    /// Up to four header bytes, the first in the most significant byte.
    public private(set) var header: UInt32
    public private(set) var headerCount: Int
    /// The frame bytes that follow the header.
    public var range: Range<Int>
    /// The whole payload when it is not header + range of the frame.
    public private(set) var ownBytes: [UInt8]?

    /// `header` (at most 4 bytes) then `range` of the frame.
    public init(header: [UInt8] = [], range: Range<Int>) {
        precondition(header.count <= 4, "an RTP payload header part holds at most 4 bytes")
        self.header = header.reduce(0) { $0 << 8 | UInt32($1) } << (8 * UInt32(4 - header.count))
        headerCount = header.count
        self.range = range
        ownBytes = nil
    }

    /// `headerCount` bytes of `packedHeader` (first byte most significant, left-aligned)
    /// then `range` of the frame; no array for the header.
    public init(packedHeader: UInt32, headerCount: Int, range: Range<Int>) {
        precondition((0...4).contains(headerCount), "an RTP payload header part holds at most 4 bytes")
        header = packedHeader
        self.headerCount = headerCount
        self.range = range
        ownBytes = nil
    }

    /// A payload that is not a piece of the frame.
    public init(ownBytes: [UInt8]) {
        header = 0
        headerCount = 0
        range = 0..<0
        self.ownBytes = ownBytes
    }

    /// Payload length in bytes.
    public var count: Int { ownBytes?.count ?? headerCount + range.count }

    /// The header bytes.
    public var headerBytes: [UInt8] { (0..<headerCount).map { UInt8(truncatingIfNeeded: header >> (24 - 8 * UInt32($0))) } }

    /// The payload as bytes of its own.
    public func bytes(of frame: [UInt8]) -> [UInt8] {
        ownBytes ?? headerBytes + frame[range]
    }

    /// Writes the payload into `buffer` at `offset`; returns the offset after it.
    func write(of frame: [UInt8], to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        if let ownBytes { return RTPPacket.write(ownBytes, to: buffer, at: offset) }
        for index in 0..<headerCount { buffer[offset + index] = UInt8(truncatingIfNeeded: header >> (24 - 8 * UInt32(index))) }
        let start = offset + headerCount
        guard !range.isEmpty else { return start }
        frame.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer.baseAddress! + start).copyMemory(from: source.baseAddress! + range.lowerBound, byteCount: range.count)
        }
        return start + range.count
    }
}
