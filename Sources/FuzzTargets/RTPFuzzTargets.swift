import RTP

/// RTP and RTCP from remote peers (after SRTP), and the depacketizers behind them.
public enum RTPFuzzTargets {
    /// RFC 3550 §5.1, RFC 8285: parse, write back and parse again to the same packet; then
    /// the receive path (reorder buffer, NACK generator) fed the packet's sequence numbers.
    public static let rtpPacket = FuzzTarget(
        name: "rtp-packet",
        summary: "RTP parser (RFC 3550 §5.1, RFC 8285 extensions): round trip; reorder buffer and NACK list on its sequence numbers"
    ) { bytes in
        if let packet = try? RTPPacket(parsing: bytes) {
            let again = try? RTPPacket(parsing: packet.bytes)
            FuzzCheck.expect(again == packet, "a parsed packet written out does not parse to itself: \(packet) → \(String(describing: again))")
        }
        // The same bytes as a run of sequence numbers and arrival gaps.
        var input = FuzzInput(bytes)
        var buffer = RTPReorderBuffer(capacity: 64, maxWait: .milliseconds(100))
        var nacks = NACKGenerator()
        var now = ContinuousClock.Instant.now
        var released: [UInt16] = []
        while !input.isAtEnd {
            let sequence = input.uint16()
            now = now.advanced(by: .milliseconds(Int(input.byte())))
            let packet = RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: 1, payload: [])
            released += buffer.insert(packet, now: now).map(\.sequenceNumber)
            released += buffer.expire(now: now).map(\.sequenceNumber)
            nacks.received(sequence)
            let due = nacks.due(now: now, roundTripTime: .milliseconds(50))
            FuzzCheck.expect(due.count <= 1000, "a NACK list longer than its window")
        }
        // Released packets never repeat within one wrap of the sequence space.
        for (a, b) in zip(released, released.dropFirst()) {
            FuzzCheck.expect(a != b, "the reorder buffer released \(a) twice in a row")
        }
    }

    /// RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3: compound parsing. What parses writes back
    /// to the same kinds of packets (NACKs to the same set of lost sequence numbers), and
    /// after that first pass — which may normalise, e.g. merge NACK entries or replace bytes
    /// that are not UTF-8 in SDES text — writing and parsing again changes nothing.
    public static let rtcpCompound = FuzzTarget(
        name: "rtcp-compound",
        summary: "RTCP compound parser (RFC 3550 §6, RFC 4585, RFC 5104, REMB): kinds and NACK sets kept, writing idempotent"
    ) { bytes in
        guard let packets = try? RTCPPacket.parseCompound(bytes) else { return }
        guard let once = try? RTCPPacket.parseCompound(RTCPPacket.compound(packets)) else {
            FuzzCheck.expect(false, "parsed RTCP written out does not parse")
            return
        }
        FuzzCheck.expect(once.map(kind) == packets.map(kind), "writing changed the packet kinds: \(packets) → \(once)")
        for case (.nack(let a), .nack(let b)) in zip(packets, once) {
            FuzzCheck.expect(Set(a.lost) == Set(b.lost), "a NACK lost sequence numbers on the way: \(a.lost) → \(b.lost)")
        }
        let twice = try? RTCPPacket.parseCompound(RTCPPacket.compound(once))
        FuzzCheck.expect(twice == once, "writing RTCP again changed it: \(once) → \(String(describing: twice))")
    }

    static func kind(_ packet: RTCPPacket) -> String {
        switch packet {
        case .other(let type, let count, _): "other \(type)/\(count)"
        default: "\(packet)".prefix { $0 != "(" }.description
        }
    }

    public static let h264 = depacketizer("h264", "H.264 (RFC 6184: single NAL, STAP-A, FU-A)", H264RTP.Depacketizer.init) { units in
        var payloader = H264RTP.Payloader(maxPayload: 64)
        return payloader.payloads(for: AnnexB.join(units))
    }
    public static let h265 = depacketizer("h265", "H.265 (RFC 7798: single NAL, AP, FU)", H265RTP.Depacketizer.init) { units in
        var payloader = H265RTP.Payloader(maxPayload: 64)
        return payloader.payloads(for: AnnexB.join(units.map { [0x02, 0x01] + $0 }))
    }
    public static let vp8 = depacketizer("vp8", "VP8 (RFC 7741 payload descriptor)", VP8RTP.Depacketizer.init) { units in
        var payloader = VP8RTP.Payloader(maxPayload: 64, pictureID: 7)
        return payloader.payloads(for: units.flatMap { $0 })
    }
    public static let audio = depacketizer("audio", "Opus / G.711 (one frame per packet)", AudioRTP.Depacketizer.init) { units in
        var payloader = AudioRTP.Payloader()
        return payloader.payloads(for: units.flatMap { $0 })
    }
}
