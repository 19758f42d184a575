/// RTP header extension elements (RFC 8285): id → value, in the one-byte form (profile
/// 0xBEDE, ids 1–14, values 1–16 bytes) or the two-byte form (0x100x, ids 1–255, values
/// 0–255 bytes). Unknown profiles are kept as raw bytes.
public struct RTPHeaderExtensions: Sendable, Equatable {
    public private(set) var elements: [(id: UInt8, value: [UInt8])] = []
    /// A non-RFC 8285 extension (RFC 3550 §5.3.1): its profile and data.
    public private(set) var other: (profile: UInt16, data: [UInt8])?

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.elements.map(\.id) == b.elements.map(\.id) && a.elements.map(\.value) == b.elements.map(\.value)
            && a.other?.profile == b.other?.profile && a.other?.data == b.other?.data
    }

    public var isEmpty: Bool { elements.isEmpty && other == nil }

    public subscript(id: UInt8) -> [UInt8]? {
        elements.first { $0.id == id }?.value
    }

    /// Sets (or replaces) an element.
    public mutating func set(_ id: UInt8, _ value: [UInt8]) {
        elements.removeAll { $0.id == id }
        elements.append((id, value))
    }

    init(profile: UInt16, data: ArraySlice<UInt8>) throws(RTPParseError) {
        let bytes = Array(data)
        var index = 0
        if profile == 0xBEDE {
            while index < bytes.count {
                let header = bytes[index]
                let id = header >> 4
                if id == 0 {  // ID 0 is padding, never an element (RFC 8285 §4.2): one byte
                    index += 1
                    continue
                }
                if id == 15 { break }  // reserved: stop processing (RFC 8285 §4.2)
                let length = Int(header & 0x0F) + 1
                guard index + 1 + length <= bytes.count else { throw .badExtension }
                elements.append((id, Array(bytes[(index + 1)..<(index + 1 + length)])))
                index += 1 + length
            }
        } else if profile & 0xFFF0 == 0x1000 {
            while index < bytes.count {
                let id = bytes[index]
                if id == 0 {  // padding
                    index += 1
                    continue
                }
                guard index + 2 <= bytes.count else { throw .badExtension }
                let length = Int(bytes[index + 1])
                guard index + 2 + length <= bytes.count else { throw .badExtension }
                elements.append((id, Array(bytes[(index + 2)..<(index + 2 + length)])))
                index += 2 + length
            }
        } else {
            other = (profile, bytes)
        }
    }

    /// The extension header and data padded to 32 bits, or nothing without elements.
    func serialized() -> [UInt8] {
        if let other, elements.isEmpty {
            let padded = other.data + [UInt8](repeating: 0, count: (4 - other.data.count % 4) % 4)
            return [UInt8(other.profile >> 8), UInt8(other.profile & 0xFF), UInt8((padded.count / 4) >> 8), UInt8((padded.count / 4) & 0xFF)] + padded
        }
        guard !elements.isEmpty else { return [] }
        let oneByte = elements.allSatisfy { (1...14).contains($0.id) && (1...16).contains($0.value.count) }
        var data: [UInt8] = []
        for element in elements {
            if oneByte {
                data.append(element.id << 4 | UInt8(element.value.count - 1))
            } else {
                data += [element.id, UInt8(min(element.value.count, 255))]
            }
            data += element.value.prefix(255)
        }
        data += [UInt8](repeating: 0, count: (4 - data.count % 4) % 4)
        let profile: UInt16 = oneByte ? 0xBEDE : 0x1000
        return [UInt8(profile >> 8), UInt8(profile & 0xFF), UInt8((data.count / 4) >> 8), UInt8((data.count / 4) & 0xFF)] + data
    }
}
