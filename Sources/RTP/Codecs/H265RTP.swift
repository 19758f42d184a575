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

        public mutating func parts(for frame: [UInt8]) -> [RTPPayloadPart] {
            var out: [RTPPayloadPart] = []
            var aggregate: [Range<Int>] = []
            var aggregateSize = 2
            func flush() {
                if aggregate.count == 1 { out.append(RTPPayloadPart(range: aggregate[0])) }
                if aggregate.count > 1 {
                    // The payload header takes F, the lowest layer and TID of the aggregated units (§4.4.2).
                    let layer = aggregate.map { (UInt16(frame[$0.lowerBound] & 0x01) << 5) | UInt16(frame[$0.lowerBound + 1] >> 3) }.min() ?? 0
                    let tid = aggregate.map { frame[$0.lowerBound + 1] & 0x07 }.min() ?? 1
                    var payload: [UInt8] = [aggregation << 1 | UInt8(layer >> 5), UInt8((layer & 0x1F) << 3) | tid]
                    payload.reserveCapacity(aggregateSize)
                    for unit in aggregate { payload += [UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + frame[unit] }
                    out.append(RTPPayloadPart(ownBytes: payload))
                }
                aggregate.removeAll(keepingCapacity: true)
                aggregateSize = 2
            }
            for unit in AnnexB.unitRanges(frame) where unit.count >= 2 {
                if unit.count > maxPayload {
                    flush()
                    fragments(frame, unit, into: &out)
                    continue
                }
                if aggregateSize + 2 + unit.count > maxPayload { flush() }
                aggregate.append(unit)
                aggregateSize += 2 + unit.count
            }
            flush()
            return out
        }

        /// Fragmentation units (§4.4.3): a payload header of type 49 (F and layer/TID of
        /// the unit) and an FU header (S, E, the unit's type) before each piece of the unit
        /// after its two header bytes.
        func fragments(_ frame: [UInt8], _ unit: Range<Int>, into out: inout [RTPPayloadPart]) {
            let first = frame[unit.lowerBound]
            let header = UInt32((first & 0x81) | fragmentation << 1) << 24 | UInt32(frame[unit.lowerBound + 1]) << 16
            let chunk = maxPayload - 3
            var offset = unit.lowerBound + 2
            while offset < unit.upperBound {
                let end = min(offset + chunk, unit.upperBound)
                var fuHeader = UInt32(type(first))
                if offset == unit.lowerBound + 2 { fuHeader |= 0x80 }
                if end == unit.upperBound { fuHeader |= 0x40 }
                out.append(RTPPayloadPart(packedHeader: header | fuHeader << 8, headerCount: 3, range: offset..<end))
                offset = end
            }
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
            return assembler.finish(packet, isKeyframeUnit: { isKeyframeUnit(type($0)) }, isSequenceParameterSet: { type($0) == 33 })
        }

        /// A packet that is (or aggregates first) a VPS or SPS, or the access unit delimiter
        /// or prefix SEI an access unit may put before them (H.265 §7.4.2.4.4): a keyframe's
        /// parameter sets come first (RFC 7798 §7.1), and without them nothing decodes.
        public func canStartDecoding(_ packet: RTPPacket) -> Bool {
            guard let header = packet.payload.first else { return false }
            let first = type(header) == aggregation ? (packet.payload.count > 4 ? type(packet.payload[4]) : 0) : type(header)
            return first == 32 || first == 33 || first == 35 || first == 39
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
