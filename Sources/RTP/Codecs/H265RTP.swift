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
        public private(set) var droppedFrames = 0
        private var units: [[UInt8]] = []
        private var fragment: [UInt8]?
        private var timestamp: UInt32?
        private var first: UInt16 = 0
        private var last: UInt16 = 0
        private var damaged = false
        private var size = 0

        public init() {}

        public mutating func push(_ packet: RTPPacket) -> EncodedFrame? {
            if let timestamp, timestamp != packet.timestamp { reset(dropping: true) }
            if timestamp == nil {
                timestamp = packet.timestamp
                first = packet.sequenceNumber
            } else if packet.sequenceNumber != last &+ 1 {
                damaged = true
            }
            last = packet.sequenceNumber
            take(packet.payload)
            guard packet.marker else { return nil }
            defer { reset(dropping: false) }
            guard !damaged, fragment == nil, !units.isEmpty else {
                droppedFrames += 1
                return nil
            }
            return EncodedFrame(
                data: AnnexB.join(units), rtpTimestamp: packet.timestamp, isKeyframe: units.contains { isKeyframeUnit(type($0[0])) },
                firstSequence: first, lastSequence: last)
        }

        private mutating func reset(dropping: Bool) {
            if dropping { droppedFrames += 1 }
            units = []
            fragment = nil
            timestamp = nil
            damaged = false
            size = 0
        }

        private mutating func append(_ unit: [UInt8]) {
            size += unit.count
            if size > RTPLimits.maxFrameBytes { damaged = true } else { units.append(unit) }
        }

        private mutating func take(_ payload: [UInt8]) {
            guard payload.count >= 3, payload[0] & 0x80 == 0 else { return damaged = true }
            switch type(payload[0]) {
            case aggregation:
                var offset = 2
                while offset + 2 <= payload.count {
                    let length = Int(payload[offset]) << 8 | Int(payload[offset + 1])
                    guard length >= 2, offset + 2 + length <= payload.count else { return damaged = true }
                    append(Array(payload[(offset + 2)..<(offset + 2 + length)]))
                    offset += 2 + length
                }
            case fragmentation:
                let fuHeader = payload[2]
                if fuHeader & 0x80 != 0 {
                    if fragment != nil { damaged = true }
                    fragment = [(payload[0] & 0x81) | (fuHeader & 0x3F) << 1, payload[1]]
                }
                guard fragment != nil else { return damaged = true }
                fragment?.append(contentsOf: payload[3...])
                if (fragment?.count ?? 0) > RTPLimits.maxFrameBytes { damaged = true }
                if fuHeader & 0x40 != 0, let unit = fragment {
                    fragment = nil
                    append(unit)
                }
            case 50...63:
                damaged = true  // PACI and reserved types are not used here
            default:
                append(payload)
            }
        }
    }
}
