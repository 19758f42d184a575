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

        public mutating func payloads(for frame: [UInt8]) -> [[UInt8]] {
            payloads(slices: AnnexB.unitSlices(frame))
        }

        /// Small units (SPS, PPS, SEI) share STAP-A packets; a unit over the limit is
        /// fragmented with FU-A; the rest go alone.
        public func payloads(units: [[UInt8]]) -> [[UInt8]] {
            payloads(slices: units.map { $0[...] })
        }

        func payloads(slices units: [ArraySlice<UInt8>]) -> [[UInt8]] {
            var out: [[UInt8]] = []
            var aggregate: [ArraySlice<UInt8>] = []
            func flush() {
                if aggregate.count == 1 { out.append(Array(aggregate[0])) }
                if aggregate.count > 1 {
                    let nri = aggregate.map { $0[$0.startIndex] & 0x60 }.max() ?? 0
                    out.append([nri | stapA] + aggregate.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 })
                }
                aggregate = []
            }
            for unit in units where !unit.isEmpty {
                if unit.count > maxPayload {
                    flush()
                    out += fragments(unit)
                    continue
                }
                let aggregateSize = 1 + aggregate.reduce(0) { $0 + 2 + $1.count } + 2 + unit.count
                if aggregateSize > maxPayload { flush() }
                aggregate.append(unit)
            }
            flush()
            return out
        }

        func fragments(_ unit: ArraySlice<UInt8>) -> [[UInt8]] {
            let first = unit[unit.startIndex]
            let indicator = (first & 0xE0) | fuA
            let body = unit.dropFirst()
            let chunk = maxPayload - 2
            var out: [[UInt8]] = []
            var offset = body.startIndex
            while offset < body.endIndex {
                let end = min(offset + chunk, body.endIndex)
                var header = type(first)
                if offset == body.startIndex { header |= 0x80 }
                if end == body.endIndex { header |= 0x40 }
                var payload: [UInt8] = []
                payload.reserveCapacity(2 + end - offset)
                payload.append(indicator)
                payload.append(header)
                payload.append(contentsOf: body[offset..<end])
                out.append(payload)
                offset = end
            }
            return out
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
            return assembler.finish(packet) { isKeyframeUnit(type($0)) }
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
