/// ChannelData messages (RFC 8656 §12.4): a 2-byte channel number, a 2-byte length and the
/// application data; over TCP and TLS padded to a multiple of 4 bytes (§12.5).
public enum ChannelData {
    /// Channel numbers accepted in ChannelBind: RFC 8656 §12 narrowed the range to
    /// 0x4000–0x4FFF, but clients of RFC 5766 (coturn's among them) still pick numbers up
    /// to 0x7FFF, so the older range is accepted — every number whose first two bits are 01.
    public static let channelNumbers: ClosedRange<UInt16> = 0x4000...0x7FFF
    public static let headerLength = 4

    /// Whether the first byte starts a ChannelData message (0b01, RFC 8656 §12.4; RFC 7983
    /// places it at first byte 64–79).
    public static func starts(with firstByte: UInt8) -> Bool {
        firstByte & 0xC0 == 0x40
    }

    /// The header for `length` bytes of data on `channel`.
    public static func header(channel: UInt16, length: Int) -> [UInt8] {
        [UInt8(channel >> 8), UInt8(channel & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)]
    }

    /// Padding after `length` data bytes on a stream transport.
    public static func padding(forLength length: Int, stream: Bool) -> Int {
        stream ? (4 - length % 4) % 4 : 0
    }
}
