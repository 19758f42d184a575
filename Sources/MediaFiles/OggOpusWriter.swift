/// Writes Opus packets as an Ogg Opus file (RFC 7845): an ID header page (OpusHead), a
/// comment header page (OpusTags), then one packet per page with the granule position
/// counting 48 kHz samples (RFC 7845 §4).
public struct OggOpusWriter: Sendable {
    public private(set) var pages: [UInt8]
    private let serial: UInt32
    private var sequence: UInt32 = 0
    private var granule: UInt64 = 0
    private var pending: [UInt8]?

    public init(channels: UInt8 = 2, serial: UInt32 = UInt32.random(in: 0...UInt32.max)) {
        self.serial = serial
        pages = []
        let head = Array("OpusHead".utf8) + [1, channels] + IVFWriter.littleEndian(0, 2) + IVFWriter.littleEndian(48_000, 4) + [0, 0, 0]
        let vendor = Array("peergate".utf8)
        let tags = Array("OpusTags".utf8) + IVFWriter.littleEndian(UInt64(vendor.count), 4) + vendor + IVFWriter.littleEndian(0, 4)
        append(page: OggPage(flags: OggPage.beginningOfStream, granulePosition: 0, serial: serial, sequence: 0, packets: [head]))
        append(page: OggPage(flags: 0, granulePosition: 0, serial: serial, sequence: 0, packets: [tags]))
    }

    private mutating func append(page: OggPage) {
        var page = page
        page.sequence = sequence
        sequence += 1
        pages += page.bytes
    }

    /// Adds one Opus packet (one RTP payload, RFC 7587).
    public mutating func append(_ packet: [UInt8]) {
        if let pending { append(page: OggPage(flags: 0, granulePosition: granule, serial: serial, sequence: 0, packets: [pending])) }
        granule += UInt64(Self.samples(in: packet))
        pending = packet
    }

    /// The file, its last page marked end of stream.
    public var file: [UInt8] {
        var copy = self
        if let pending = copy.pending {
            copy.append(page: OggPage(flags: OggPage.endOfStream, granulePosition: copy.granule, serial: serial, sequence: 0, packets: [pending]))
        }
        return copy.pages
    }

    /// Samples at 48 kHz in a packet, from its TOC byte (RFC 6716 §3.1, §3.2).
    static func samples(in packet: [UInt8]) -> Int {
        guard let toc = packet.first else { return 0 }
        let config = Int(toc >> 3)
        let frameSamples: Int
        switch config {
        case 0...11: frameSamples = [480, 960, 1920, 2880][config % 4]  // SILK 10/20/40/60 ms
        case 12...15: frameSamples = [480, 960][config % 2]  // hybrid 10/20 ms
        default: frameSamples = [120, 240, 480, 960][config % 4]  // CELT 2.5/5/10/20 ms
        }
        let frames: Int
        switch toc & 0x03 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default: frames = packet.count > 1 ? Int(packet[1] & 0x3F) : 0
        }
        return frameSamples * frames
    }
}
