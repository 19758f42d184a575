/// H.265 over RTP (RFC 7798) without DONL: single NAL unit packets, aggregation packets
/// (type 48, §4.4.2) and fragmentation units (type 49, §4.4.3). Both halves live here.
public enum H265RTP {
    static let aggregation: UInt8 = 48
    static let fragmentation: UInt8 = 49

    /// The NAL unit type from the first header byte (§1.1.4).
    static func type(_ header: UInt8) -> UInt8 { (header >> 1) & 0x3F }

    /// IRAP pictures (16–21) and VPS (32), which a keyframe starts with.
    static func isKeyframeUnit(_ type: UInt8) -> Bool { (16...21).contains(type) || type == 32 }

    public struct Payloader: RTPPayloader {
        public var maxPayload: Int

        public init(maxPayload: Int = RTPLimits.defaultMaxPayload) {
            self.maxPayload = max(maxPayload, 16)
        }

        public mutating func payloads(for frame: [UInt8]) -> [[UInt8]] {
            var out: [[UInt8]] = []
            var aggregate: [[UInt8]] = []
            func flush() {
                if aggregate.count == 1 { out.append(aggregate[0]) }
                if aggregate.count > 1 {
                    // The payload header takes F, the lowest layer and TID of the aggregated units (§4.4.2).
                    let layer = aggregate.map { (UInt16($0[0] & 0x01) << 5) | UInt16($0[1] >> 3) }.min() ?? 0
                    let tid = aggregate.map { $0[1] & 0x07 }.min() ?? 1
                    let header: [UInt8] = [aggregation << 1 | UInt8(layer >> 5), UInt8((layer & 0x1F) << 3) | tid]
                    out.append(header + aggregate.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 })
                }
                aggregate = []
            }
            for unit in AnnexB.split(frame) where unit.count >= 2 {
                if unit.count > maxPayload {
                    flush()
                    out += fragments(unit)
                    continue
                }
                if 2 + aggregate.reduce(0, { $0 + 2 + $1.count }) + 2 + unit.count > maxPayload { flush() }
                aggregate.append(unit)
            }
            flush()
            return out
        }

        func fragments(_ unit: [UInt8]) -> [[UInt8]] {
            let header: [UInt8] = [(unit[0] & 0x81) | fragmentation << 1, unit[1]]
            let body = unit.dropFirst(2)
            let chunk = maxPayload - 3
            var out: [[UInt8]] = []
            var offset = body.startIndex
            while offset < body.endIndex {
                let end = min(offset + chunk, body.endIndex)
                var fuHeader = type(unit[0])
                if offset == body.startIndex { fuHeader |= 0x80 }
                if end == body.endIndex { fuHeader |= 0x40 }
                out.append(header + [fuHeader] + body[offset..<end])
                offset = end
            }
            return out
        }
    }

    public struct Depacketizer: RTPDepacketizer {
        private var assembler = NALFrameAssembler()

        public init() {}

        public var droppedFrames: Int { assembler.droppedFrames }

        public mutating func push(_ packet: RTPPacket) -> EncodedFrame? {
            assembler.begin(packet)
            take(packet.payload)
            guard packet.marker else { return nil }
            return assembler.finish(packet) { isKeyframeUnit(type($0)) }
        }

        private mutating func take(_ payload: [UInt8]) {
            guard payload.count >= 3, payload[0] & 0x80 == 0 else { return assembler.damaged = true }
            switch type(payload[0]) {
            case aggregation:
                var offset = 2
                while offset + 2 <= payload.count {
                    let length = Int(payload[offset]) << 8 | Int(payload[offset + 1])
                    guard length >= 2, offset + 2 + length <= payload.count else { return assembler.damaged = true }
                    assembler.append(payload[(offset + 2)..<(offset + 2 + length)])
                    offset += 2 + length
                }
            case fragmentation:
                let fuHeader = payload[2]
                if fuHeader & 0x80 != 0 { assembler.startFragment(header: [(payload[0] & 0x81) | (fuHeader & 0x3F) << 1, payload[1]]) }
                assembler.continueFragment(payload[3...], end: fuHeader & 0x40 != 0)
            case 50...63:
                assembler.damaged = true  // PACI and reserved types are not used here
            default:
                assembler.append(payload)
            }
        }
    }
}
