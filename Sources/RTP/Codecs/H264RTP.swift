/// H.264 over RTP (RFC 6184), packetization-mode 1: single NAL unit packets, STAP-A
/// aggregates (§5.7.1) and FU-A fragments (§5.8). Both halves live here.
public enum H264RTP {
    static let stapA: UInt8 = 24
    static let fuA: UInt8 = 28

    static func type(_ header: UInt8) -> UInt8 { header & 0x1F }

    /// IDR slices (5), and SPS (7) which a keyframe starts with.
    static func isKeyframeUnit(_ type: UInt8) -> Bool { type == 5 || type == 7 }

    /// Payloads for one access unit given as Annex B.
    public struct Payloader: RTPPayloader {
        public var maxPayload: Int

        public init(maxPayload: Int = RTPLimits.defaultMaxPayload) {
            self.maxPayload = max(maxPayload, 16)
        }

        public mutating func parts(for frame: [UInt8]) -> [RTPPayloadPart] {
            parts(frame, units: AnnexB.unitRanges(frame))
        }

        /// Payloads for an access unit given as NAL units (no start codes).
        public func payloads(units: [[UInt8]]) -> [[UInt8]] {
            let frame = AnnexB.join(units)
            return parts(frame, units: AnnexB.unitRanges(frame)).map { $0.bytes(of: frame) }
        }

        /// Small units (SPS, PPS, SEI) share STAP-A packets; a unit over the limit is
        /// fragmented with FU-A; the rest go alone.
        func parts(_ frame: [UInt8], units: [Range<Int>]) -> [RTPPayloadPart] {
            var out: [RTPPayloadPart] = []
            out.reserveCapacity(units.count + frame.count / maxPayload + 1)
            var aggregate: [Range<Int>] = []
            var aggregateSize = 1
            func flush() {
                if aggregate.count == 1 { out.append(RTPPayloadPart(range: aggregate[0])) }
                if aggregate.count > 1 {
                    let nri = aggregate.map { frame[$0.lowerBound] & 0x60 }.max() ?? 0
                    var payload: [UInt8] = [nri | stapA]
                    payload.reserveCapacity(aggregateSize)
                    for unit in aggregate { payload += [UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + frame[unit] }
                    out.append(RTPPayloadPart(ownBytes: payload))
                }
                aggregate.removeAll(keepingCapacity: true)
                aggregateSize = 1
            }
            for unit in units where !unit.isEmpty {
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

        /// FU-A fragments (RFC 6184 §5.8): FU indicator (F, NRI, type 28) and FU header
        /// (S, E, the unit's type) before each piece of the unit after its header byte.
        func fragments(_ frame: [UInt8], _ unit: Range<Int>, into out: inout [RTPPayloadPart]) {
            let first = frame[unit.lowerBound]
            let indicator = UInt32((first & 0xE0) | fuA)
            let chunk = maxPayload - 2
            var offset = unit.lowerBound + 1
            while offset < unit.upperBound {
                let end = min(offset + chunk, unit.upperBound)
                var header = UInt32(type(first))
                if offset == unit.lowerBound + 1 { header |= 0x80 }
                if end == unit.upperBound { header |= 0x40 }
                out.append(RTPPayloadPart(packedHeader: indicator << 24 | header << 16, headerCount: 2, range: offset..<end))
                offset = end
            }
        }
    }

    /// Access units (Annex B) from packets in sequence order.
    public struct Depacketizer: RTPDepacketizer {
        private var assembler = NALFrameAssembler()

        public init() {}

        public var droppedFrames: Int { assembler.droppedFrames }

        public mutating func push(_ packet: RTPPacket) -> EncodedFrame? {
            assembler.begin(packet)
            take(packet.payload)
            guard packet.marker else { return nil }
            return assembler.finish(packet, isKeyframeUnit: { isKeyframeUnit(type($0)) }, isSequenceParameterSet: { type($0) == 7 })
        }

        /// A packet that is (or aggregates first) an SPS, or the SEI or access unit delimiter
        /// an access unit may put before it (H.264 §7.4.1.2.3): a keyframe's parameter sets
        /// come first (RFC 6184 §8.4), and without them nothing decodes.
        public func canStartDecoding(_ packet: RTPPacket) -> Bool {
            guard let header = packet.payload.first else { return false }
            let first = type(header) == stapA ? (packet.payload.count > 3 ? type(packet.payload[3]) : 0) : type(header)
            return first == 6 || first == 7 || first == 9
        }

        private mutating func take(_ payload: [UInt8]) {
            guard let header = payload.first, header & 0x80 == 0 else { return assembler.damaged = true }
            switch type(header) {
            case 1...23:
                assembler.append(payload)
            case stapA:
                var offset = 1
                while offset + 2 <= payload.count {
                    let length = Int(payload[offset]) << 8 | Int(payload[offset + 1])
                    guard length > 0, offset + 2 + length <= payload.count else { return assembler.damaged = true }
                    assembler.append(payload[(offset + 2)..<(offset + 2 + length)])
                    offset += 2 + length
                }
            case fuA:
                guard payload.count > 2 else { return assembler.damaged = true }
                let fuHeader = payload[1]
                if fuHeader & 0x80 != 0 { assembler.startFragment(header: [(header & 0xE0) | (fuHeader & 0x1F)]) }
                assembler.continueFragment(payload[2...], end: fuHeader & 0x40 != 0)
            default:
                assembler.damaged = true  // STAP-B, MTAP, FU-B are not used with packetization-mode 1
            }
        }
    }
}
