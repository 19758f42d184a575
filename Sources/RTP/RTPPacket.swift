/// Why bytes are not a usable RTP or RTCP packet.
public enum RTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooShort
    case badVersion
    case badPadding
    case badExtension
    case badLength
    case tooLarge(Int)

    public var description: String {
        switch self {
        case .tooShort: "packet shorter than its header"
        case .badVersion: "not RTP version 2"
        case .badPadding: "padding longer than the packet"
        case .badExtension: "header extension runs past the packet"
        case .badLength: "length field does not match the packet"
        case .tooLarge(let length): "packet of \(length) bytes is over the limit"
        }
    }
}

/// An RTP packet (RFC 3550 §5.1): fixed header, CSRCs, header extensions (RFC 8285) and
/// payload, with padding removed on parsing.
public struct RTPPacket: Sendable, Equatable {
    /// Largest packet accepted (above any UDP MTU WebRTC uses).
    public static let maxLength = 8192

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var extensions: RTPHeaderExtensions
    public var payload: [UInt8]

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, csrcs: [UInt32] = [],
        extensions: RTPHeaderExtensions = RTPHeaderExtensions(), payload: [UInt8]
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.payload = payload
    }

    /// Parses a packet (RFC 3550 §5.1): version 2, CSRC count, extension (§5.3.1) and padding.
    public init(parsing bytes: [UInt8]) throws(RTPParseError) {
        var payloadRange = 0..<0
        try self.init(header: bytes, payloadRange: &payloadRange)
        payload = Array(bytes[payloadRange])
    }

    /// Parses a packet whose bytes the caller hands over: the payload keeps their buffer
    /// (the header is moved out in place), so a received datagram is not copied again.
    public init(taking bytes: consuming [UInt8]) throws(RTPParseError) {
        var owned = bytes
        var payloadRange = 0..<0
        try self.init(header: owned, payloadRange: &payloadRange)
        owned.removeSubrange(payloadRange.upperBound...)
        owned.removeSubrange(..<payloadRange.lowerBound)
        payload = owned
    }

    /// The header fields of `bytes` (RFC 3550 §5.1): version 2, CSRC count, extension
    /// (§5.3.1) and padding; `payloadRange` is where the payload lies, `payload` is left empty.
    private init(header bytes: [UInt8], payloadRange: inout Range<Int>) throws(RTPParseError) {
        guard bytes.count <= Self.maxLength else { throw .tooLarge(bytes.count) }
        guard bytes.count >= 12 else { throw .tooShort }
        guard bytes[0] >> 6 == 2 else { throw .badVersion }
        var end = bytes.count
        if bytes[0] & 0x20 != 0 {
            let padding = Int(bytes[end - 1])
            guard padding > 0, padding <= end - 12 else { throw .badPadding }
            end -= padding
        }
        let csrcCount = Int(bytes[0] & 0x0F)
        var offset = 12 + 4 * csrcCount
        guard offset <= end else { throw .tooShort }
        csrcs = csrcCount == 0 ? [] : (0..<csrcCount).map { Self.uint32(bytes, 12 + 4 * $0) }
        extensions = RTPHeaderExtensions()
        if bytes[0] & 0x10 != 0 {
            guard offset + 4 <= end else { throw .badExtension }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let length = 4 * (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
            guard offset + 4 + length <= end else { throw .badExtension }
            extensions = try RTPHeaderExtensions(profile: profile, data: bytes[(offset + 4)..<(offset + 4 + length)])
            offset += 4 + length
        }
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        timestamp = Self.uint32(bytes, 4)
        ssrc = Self.uint32(bytes, 8)
        payload = []
        payloadRange = offset..<end
    }

    /// Spare capacity `bytes` reserves for an SRTP authentication tag.
    public static let protectionRoom = 16

    /// The packet on the wire (no padding; extensions in the one- or two-byte form they need),
    /// with room for the SRTP tag protection appends in place (16 bytes at most without MKI,
    /// RFC 7714 §9.2), so protecting does not move the packet.
    public var bytes: [UInt8] {
        let extensionBytes = extensions.serialized()
        let sources = csrcs.prefix(15)
        let length = 12 + 4 * sources.count + extensionBytes.count + payload.count
        let out = [UInt8](unsafeUninitializedCapacity: length + Self.protectionRoom) { buffer, count in
            buffer[0] = 0x80 | (extensionBytes.isEmpty ? 0 : 0x10) | UInt8(sources.count)
            buffer[1] = (marker ? 0x80 : 0) | (payloadType & 0x7F)
            buffer[2] = UInt8(sequenceNumber >> 8)
            buffer[3] = UInt8(sequenceNumber & 0xFF)
            Self.write(timestamp, to: buffer, at: 4)
            Self.write(ssrc, to: buffer, at: 8)
            var offset = 12
            for csrc in sources {
                Self.write(csrc, to: buffer, at: offset)
                offset += 4
            }
            offset = Self.write(extensionBytes, to: buffer, at: offset)
            count = Self.write(payload, to: buffer, at: offset)
        }
        return out
    }

    /// Copies `bytes` into `buffer` at `offset`; returns the offset after them.
    static func write(_ bytes: [UInt8], to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        guard !bytes.isEmpty else { return offset }
        _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)]).initialize(from: bytes)
        return offset + bytes.count
    }

    static func write(_ value: UInt32, to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        buffer[offset] = UInt8(value >> 24)
        buffer[offset + 1] = UInt8((value >> 16) & 0xFF)
        buffer[offset + 2] = UInt8((value >> 8) & 0xFF)
        buffer[offset + 3] = UInt8(value & 0xFF)
    }

    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
