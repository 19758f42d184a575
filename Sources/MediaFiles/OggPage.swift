/// One Ogg page (RFC 3533 §6): header with granule position, serial number, sequence
/// number and CRC, the lacing table, then the packet data.
struct OggPage {
    static let beginningOfStream: UInt8 = 0x02
    static let endOfStream: UInt8 = 0x04

    var flags: UInt8
    var granulePosition: UInt64
    var serial: UInt32
    var sequence: UInt32
    /// Whole packets; each is laced as 255-byte segments and a final shorter one.
    var packets: [[UInt8]]

    var bytes: [UInt8] {
        var lacing: [UInt8] = []
        for packet in packets {
            lacing += [UInt8](repeating: 255, count: packet.count / 255)
            lacing.append(UInt8(packet.count % 255))
        }
        var page = Array("OggS".utf8) + [0, flags]
        page += IVFWriter.littleEndian(granulePosition, 8) + IVFWriter.littleEndian(UInt64(serial), 4) + IVFWriter.littleEndian(UInt64(sequence), 4)
        page += [0, 0, 0, 0, UInt8(lacing.count)] + lacing + packets.flatMap { $0 }
        let crc = Self.crc(page)
        page.replaceSubrange(22..<26, with: IVFWriter.littleEndian(UInt64(crc), 4))
        return page
    }

    /// CRC-32 with polynomial 0x04C11DB7, initial value 0, not reflected (RFC 3533 §6).
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? value << 1 ^ 0x04C1_1DB7 : value << 1 }
        return value
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(0)) { crc, byte in crc << 8 ^ table[Int(crc >> 24 ^ UInt32(byte))] }
    }
}
