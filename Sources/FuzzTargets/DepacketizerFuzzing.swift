import RTP

extension RTPFuzzTargets {
    /// A target for one depacketizer. The input is records: a flags byte (marker, sequence
    /// gap, new timestamp) and a payload; what comes out is bounded and counted, and asking
    /// whether a packet could start decoding reads only what it holds. The first record's
    /// payload also goes through the codec's payloader (as a frame cut into NAL units at
    /// zero bytes) and must come back out of a fresh depacketizer unchanged.
    static func depacketizer<D: RTPDepacketizer>(
        _ codec: String, _ what: String, _ make: @escaping @Sendable () -> D,
        payloads: @escaping @Sendable ([[UInt8]]) -> [[UInt8]]
    ) -> FuzzTarget {
        FuzzTarget(name: "depacketizer-\(codec)", summary: "\(what) depacketizer on arbitrary packets; payloader → depacketizer round trip") { bytes in
            var input = FuzzInput(bytes)
            var depacketizer = make()
            var sequence: UInt16 = 1000
            var timestamp: UInt32 = 90_000
            var frames = 0
            var firstUnits: [[UInt8]]?
            while !input.isAtEnd {
                let flags = input.byte()
                let payload = input.body()
                if firstUnits == nil { firstUnits = units(payload) }
                sequence &+= flags & 0x02 != 0 ? 2 : 1
                if flags & 0x04 != 0 { timestamp &+= 3000 }
                let packet = RTPPacket(marker: flags & 0x01 != 0, payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: 1, payload: payload)
                _ = depacketizer.canStartDecoding(packet)  // reads only what the payload holds
                if let frame = depacketizer.push(packet) {
                    frames += 1
                    FuzzCheck.expect(frame.data.count <= RTPLimits.maxFrameBytes, "a frame over the size cap")
                    FuzzCheck.expect(frame.rtpTimestamp == timestamp, "a frame with another packet's timestamp")
                }
            }
            FuzzCheck.expect(depacketizer.droppedFrames >= 0, "a negative drop count")
            guard let units = firstUnits, !units.isEmpty else { return }
            var fresh = make()
            let sent = payloads(units)
            var out: [EncodedFrame] = []
            for (index, payload) in sent.enumerated() {
                let packet = RTPPacket(
                    marker: index == sent.count - 1, payloadType: 96, sequenceNumber: UInt16(truncatingIfNeeded: index), timestamp: 1, ssrc: 1, payload: payload)
                if let frame = fresh.push(packet) { out.append(frame) }
            }
            FuzzCheck.expect(out.count == 1, "a packetized frame did not come back as one frame (\(out.count))")
            FuzzCheck.expect(out.first?.data == expectedFrame(codec, units), "a packetized frame came back changed")
        }
    }

    /// NAL-unit-like pieces of `payload`: split at zero bytes, no zeros inside (so no start
    /// code can appear in one), a forbidden_zero_bit of 0 and a VCL type for H.264.
    static func units(_ payload: [UInt8]) -> [[UInt8]] {
        payload.split(separator: 0).prefix(16).map { piece in
            var unit = Array(piece)
            unit[0] = (unit[0] & 0x7F) | 0x01
            if unit[0] & 0x1F == 0 || unit[0] & 0x1F > 23 { unit[0] = (unit[0] & 0x60) | 0x01 }
            return unit
        }
    }

    /// What the depacketizer must give back for `units`.
    static func expectedFrame(_ codec: String, _ units: [[UInt8]]) -> [UInt8] {
        switch codec {
        case "h264": AnnexB.join(units)
        case "h265": AnnexB.join(units.map { [0x02, 0x01] + $0 })
        default: units.flatMap { $0 }
        }
    }
}
