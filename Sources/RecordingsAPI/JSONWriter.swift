/// A small, fast JSON writer for the recordings API's large listings (a day of one-minute
/// segments is 1,440 objects; Foundation's encoder spends most of a listing's time on
/// them). Writes RFC 8259 text: strings escaped (`"`, `\`, control characters), numbers
/// as Swift prints them, keys in the order given.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func field(_ name: String, _ value: Int) { field(name, Int64(value)) }

    public mutating func field(_ name: String, _ value: Double) {
        key(name)
        bytes.append(contentsOf: (value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)) : "null").utf8)
    }

    private mutating func key(_ name: String) {
        separate()
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        // Native strings are contiguous UTF-8: scanned and copied in one pass each.
        let plain = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if plain != true {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case 0..<0x20: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

extension RecordingsAPI.SegmentPage {
    /// The page as JSON, written directly (same keys and values as `Codable`).
    public var json: [UInt8] {
        var writer = JSONWriter(capacity: 256 + segments.count * 360)
        writer.beginObject()
        writer.beginArray("gaps")
        for gap in gaps {
            writer.beginObject()
            writer.field("from", gap.from)
            writer.field("seconds", gap.seconds)
            writer.field("to", gap.to)
            writer.endObject()
        }
        writer.endArray()
        writer.field("nextToken", nextToken)
        writer.beginArray("segments")
        for segment in segments {
            writer.beginObject()
            writer.field("audioCodec", segment.audioCodec)
            writer.field("bytes", segment.bytes)
            writer.field("channel", segment.channel)
            writer.field("contentType", segment.contentType)
            writer.field("durationSeconds", segment.durationSeconds)
            writer.field("end", segment.end)
            writer.field("file", segment.file)
            writer.field("frames", segment.frames)
            writer.field("height", segment.height)
            writer.field("id", segment.id)
            writer.field("keyframes", segment.keyframes)
            writer.field("recordingId", segment.recordingId)
            writer.field("start", segment.start)
            writer.field("state", segment.state)
            writer.field("videoCodec", segment.videoCodec)
            writer.field("width", segment.width)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
