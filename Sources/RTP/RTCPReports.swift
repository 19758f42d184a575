/// A reception report block (RFC 3550 §6.4.1).
public struct RTCPReportBlock: Sendable, Equatable {
    public var ssrc: UInt32
    /// Fraction lost since the last report, in 1/256.
    public var fractionLost: UInt8
    /// Cumulative packets lost (24-bit signed).
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received (LSR).
    public var lastSenderReport: UInt32
    /// Delay since that SR, in 1/65536 s (DLSR).
    public var delaySinceLastSenderReport: UInt32

    public init(ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0, jitter: UInt32 = 0, lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    static let length = 24

    init(_ bytes: [UInt8], at offset: Int) {
        ssrc = RTPPacket.uint32(bytes, offset)
        fractionLost = bytes[offset + 4]
        let lost = UInt32(bytes[offset + 5]) << 16 | UInt32(bytes[offset + 6]) << 8 | UInt32(bytes[offset + 7])
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8  // sign-extend 24 bits
        extendedHighestSequence = RTPPacket.uint32(bytes, offset + 8)
        jitter = RTPPacket.uint32(bytes, offset + 12)
        lastSenderReport = RTPPacket.uint32(bytes, offset + 16)
        delaySinceLastSenderReport = RTPPacket.uint32(bytes, offset + 20)
    }

    func append(to bytes: inout [UInt8]) {
        RTPPacket.append(ssrc, to: &bytes)
        let lost = UInt32(bitPattern: cumulativeLost) & 0x00FF_FFFF
        bytes += [fractionLost, UInt8(lost >> 16), UInt8((lost >> 8) & 0xFF), UInt8(lost & 0xFF)]
        for value in [extendedHighestSequence, jitter, lastSenderReport, delaySinceLastSenderReport] { RTPPacket.append(value, to: &bytes) }
    }
}

/// A sender report (RFC 3550 §6.4.1): the NTP ↔ RTP timestamp mapping and send counts.
public struct RTCPSenderReport: Sendable, Equatable {
    public var ssrc: UInt32
    /// 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reports: [RTCPReportBlock]

    public init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32, reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }
}

/// A receiver report (RFC 3550 §6.4.2).
public struct RTCPReceiverReport: Sendable, Equatable {
    public var ssrc: UInt32
    public var reports: [RTCPReportBlock]

    public init(ssrc: UInt32, reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reports = reports
    }
}

/// One SDES chunk (RFC 3550 §6.5): a source and its items (type → text; 1 is CNAME).
public struct RTCPSourceDescription: Sendable, Equatable {
    public static let cname: UInt8 = 1

    public var ssrc: UInt32
    public var items: [RTCPSourceDescriptionItem]

    public init(ssrc: UInt32, items: [RTCPSourceDescriptionItem]) {
        self.ssrc = ssrc
        self.items = items
    }

    public var canonicalName: String? { items.first { $0.type == Self.cname }?.text }
}

public struct RTCPSourceDescriptionItem: Sendable, Equatable {
    public var type: UInt8
    public var text: String

    public init(type: UInt8, text: String) {
        self.type = type
        self.text = text
    }
}

/// BYE (RFC 3550 §6.6): sources leaving, with an optional reason.
public struct RTCPBye: Sendable, Equatable {
    public var ssrcs: [UInt32]
    public var reason: String?

    public init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }
}
