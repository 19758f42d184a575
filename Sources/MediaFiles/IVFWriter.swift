/// Writes VP8 frames as an IVF file (the container of libvpx's tools): a 32-byte header,
/// then per frame a 4-byte size and an 8-byte timestamp, little-endian. Timestamps are in
/// the 90 kHz RTP clock (IVF rate 90000, scale 1).
public struct IVFWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var frameCount = 0
    private var firstTimestamp: UInt32?
    private var width: UInt16 = 0
    private var height: UInt16 = 0

    public init() {}

    /// Adds a frame with its RTP timestamp; the first keyframe gives the picture size
    /// (RFC 6386 §9.1: 14-bit width and height after the start code 9d 01 2a).
    public mutating func append(_ frame: [UInt8], rtpTimestamp: UInt32) {
        if width == 0, frame.count >= 10, frame[0] & 0x01 == 0, Array(frame[3..<6]) == [0x9D, 0x01, 0x2A] {
            width = (UInt16(frame[6]) | UInt16(frame[7]) << 8) & 0x3FFF
            height = (UInt16(frame[8]) | UInt16(frame[9]) << 8) & 0x3FFF
        }
        let base = firstTimestamp ?? rtpTimestamp
        firstTimestamp = base
        let pts = UInt64(rtpTimestamp &- base)
        bytes += Self.littleEndian(UInt64(frame.count), 4) + Self.littleEndian(pts, 8) + frame
        frameCount += 1
    }

    /// The whole file: header then frames.
    public var file: [UInt8] {
        var header = Array("DKIF".utf8) + Self.littleEndian(0, 2) + Self.littleEndian(32, 2) + Array("VP80".utf8)
        header += Self.littleEndian(UInt64(width), 2) + Self.littleEndian(UInt64(height), 2)
        header += Self.littleEndian(90_000, 4) + Self.littleEndian(1, 4) + Self.littleEndian(UInt64(frameCount), 4) + Self.littleEndian(0, 4)
        return header + bytes
    }

    static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
