/// Bodies of the RTCP packet types peergate reads and writes.
enum RTCPPacketCoding {
    typealias PacketType = RTCPPacket.PacketType

    static func decode(type: UInt8, count: UInt8, body: [UInt8]) throws(RTPParseError) -> RTCPPacket {
        switch type {
        case PacketType.senderReport:
            guard body.count >= 24 + Int(count) * RTCPReportBlock.length else { throw .badLength }
            let ntp = UInt64(RTPPacket.uint32(body, 4)) << 32 | UInt64(RTPPacket.uint32(body, 8))
            return .senderReport(RTCPSenderReport(
                ssrc: RTPPacket.uint32(body, 0), ntpTimestamp: ntp, rtpTimestamp: RTPPacket.uint32(body, 12),
                packetCount: RTPPacket.uint32(body, 16), octetCount: RTPPacket.uint32(body, 20),
                reports: (0..<Int(count)).map { RTCPReportBlock(body, at: 24 + $0 * RTCPReportBlock.length) }))
        case PacketType.receiverReport:
            guard body.count >= 4 + Int(count) * RTCPReportBlock.length else { throw .badLength }
            return .receiverReport(RTCPReceiverReport(
                ssrc: RTPPacket.uint32(body, 0), reports: (0..<Int(count)).map { RTCPReportBlock(body, at: 4 + $0 * RTCPReportBlock.length) }))
        case PacketType.sourceDescription:
            return .sourceDescription(try decodeSourceDescription(count: count, body: body))
        case PacketType.bye:
            guard body.count >= 4 * Int(count) else { throw .badLength }
            let ssrcs = (0..<Int(count)).map { RTPPacket.uint32(body, 4 * $0) }
            var reason: String?
            let reasonOffset = 4 * Int(count)
            if reasonOffset < body.count {
                let length = Int(body[reasonOffset])
                guard reasonOffset + 1 + length <= body.count else { throw .badLength }
                reason = String(decoding: body[(reasonOffset + 1)..<(reasonOffset + 1 + length)], as: UTF8.self)
            }
            return .bye(RTCPBye(ssrcs: ssrcs, reason: reason))
        case PacketType.transportFeedback where count == 1:
            guard body.count >= 8, body.count % 4 == 0 else { throw .badLength }
            var entries: [(pid: UInt16, blp: UInt16)] = []
            for offset in stride(from: 8, to: body.count, by: 4) {
                let pid = UInt16(body[offset]) << 8 | UInt16(body[offset + 1])
                let blp = UInt16(body[offset + 2]) << 8 | UInt16(body[offset + 3])
                entries.append((pid, blp))
            }
            return .nack(RTCPNack(senderSSRC: RTPPacket.uint32(body, 0), mediaSSRC: RTPPacket.uint32(body, 4), lost: RTCPNack.lost(fromEntries: entries)))
        case PacketType.payloadFeedback:
            return try decodePayloadFeedback(format: count, body: body) ?? .other(type: type, count: count, body: body)
        default:
            return .other(type: type, count: count, body: body)
        }
    }

    static func decodeSourceDescription(count: UInt8, body: [UInt8]) throws(RTPParseError) -> [RTCPSourceDescription] {
        var chunks: [RTCPSourceDescription] = []
        var offset = 0
        for _ in 0..<count {
            guard offset + 4 <= body.count else { throw .badLength }
            var chunk = RTCPSourceDescription(ssrc: RTPPacket.uint32(body, offset), items: [])
            offset += 4
            while offset < body.count, body[offset] != 0 {
                guard offset + 2 <= body.count else { throw .badLength }
                let length = Int(body[offset + 1])
                guard offset + 2 + length <= body.count else { throw .badLength }
                chunk.items.append(RTCPSourceDescriptionItem(type: body[offset], text: String(decoding: body[(offset + 2)..<(offset + 2 + length)], as: UTF8.self)))
                offset += 2 + length
            }
            offset = (offset + 4) & ~3  // the null item, then padding to 32 bits
            chunks.append(chunk)
        }
        return chunks
    }

    static func decodePayloadFeedback(format: UInt8, body: [UInt8]) throws(RTPParseError) -> RTCPPacket? {
        guard body.count >= 8 else { throw .badLength }
        let sender = RTPPacket.uint32(body, 0)
        switch format {
        case 1:
            return .pictureLossIndication(senderSSRC: sender, mediaSSRC: RTPPacket.uint32(body, 4))
        case 4:
            guard body.count % 8 == 0 else { throw .badLength }
            let entries = stride(from: 8, to: body.count, by: 8).map { RTCPFullIntraRequest.Entry(ssrc: RTPPacket.uint32(body, $0), sequenceNumber: body[$0 + 4]) }
            return .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: sender, entries: entries))
        case 15 where body.count >= 16 && Array(body[8..<12]) == Array("REMB".utf8):
            let count = Int(body[12])
            guard body.count >= 16 + 4 * count else { throw .badLength }
            let exponent = body[13] >> 2
            let mantissa = UInt64(body[13] & 0x03) << 16 | UInt64(body[14]) << 8 | UInt64(body[15])
            let ssrcs = (0..<count).map { RTPPacket.uint32(body, 16 + 4 * $0) }
            return .receiverEstimatedBitrate(RTCPReceiverEstimatedBitrate(senderSSRC: sender, bitsPerSecond: mantissa << exponent, ssrcs: ssrcs))
        default:
            return nil
        }
    }

    static func encode(_ packet: RTCPPacket) -> (type: UInt8, count: UInt8, body: [UInt8]) {
        var body: [UInt8] = []
        switch packet {
        case .senderReport(let report):
            for value in [report.ssrc, UInt32(report.ntpTimestamp >> 32), UInt32(report.ntpTimestamp & 0xFFFF_FFFF), report.rtpTimestamp, report.packetCount, report.octetCount] {
                RTPPacket.append(value, to: &body)
            }
            report.reports.prefix(31).forEach { $0.append(to: &body) }
            return (PacketType.senderReport, UInt8(min(report.reports.count, 31)), body)
        case .receiverReport(let report):
            RTPPacket.append(report.ssrc, to: &body)
            report.reports.prefix(31).forEach { $0.append(to: &body) }
            return (PacketType.receiverReport, UInt8(min(report.reports.count, 31)), body)
        case .sourceDescription(let chunks):
            for chunk in chunks.prefix(31) {
                RTPPacket.append(chunk.ssrc, to: &body)
                for item in chunk.items {
                    let text = Array(item.text.utf8.prefix(255))
                    body += [item.type, UInt8(text.count)] + text
                }
                body.append(0)
                body += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            }
            return (PacketType.sourceDescription, UInt8(min(chunks.count, 31)), body)
        case .bye(let bye):
            bye.ssrcs.prefix(31).forEach { RTPPacket.append($0, to: &body) }
            if let reason = bye.reason {
                let text = Array(reason.utf8.prefix(255))
                body += [UInt8(text.count)] + text
            }
            return (PacketType.bye, UInt8(min(bye.ssrcs.count, 31)), body)
        case .nack(let nack):
            RTPPacket.append(nack.senderSSRC, to: &body)
            RTPPacket.append(nack.mediaSSRC, to: &body)
            for entry in nack.entries { body += [UInt8(entry.pid >> 8), UInt8(entry.pid & 0xFF), UInt8(entry.blp >> 8), UInt8(entry.blp & 0xFF)] }
            return (PacketType.transportFeedback, 1, body)
        case .pictureLossIndication(let sender, let media):
            RTPPacket.append(sender, to: &body)
            RTPPacket.append(media, to: &body)
            return (PacketType.payloadFeedback, 1, body)
        case .fullIntraRequest(let fir):
            RTPPacket.append(fir.senderSSRC, to: &body)
            RTPPacket.append(0, to: &body)  // media source SSRC unused (RFC 5104 §4.3.1.2)
            for entry in fir.entries {
                RTPPacket.append(entry.ssrc, to: &body)
                body += [entry.sequenceNumber, 0, 0, 0]
            }
            return (PacketType.payloadFeedback, 4, body)
        case .receiverEstimatedBitrate(let remb):
            RTPPacket.append(remb.senderSSRC, to: &body)
            RTPPacket.append(0, to: &body)
            let (exponent, mantissa) = remb.exponentAndMantissa
            body += Array("REMB".utf8) + [UInt8(min(remb.ssrcs.count, 255)), exponent << 2 | UInt8(mantissa >> 16), UInt8((mantissa >> 8) & 0xFF), UInt8(mantissa & 0xFF)]
            remb.ssrcs.prefix(255).forEach { RTPPacket.append($0, to: &body) }
            return (PacketType.payloadFeedback, 15, body)
        case .other(let type, let count, let raw):
            return (type, count, raw)
        }
    }
}
