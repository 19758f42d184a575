/// What a datagram on the shared socket carries, by its first byte (RFC 7983 §7) and, for
/// RTP versus RTCP, its second (RFC 5761 §4: RTCP packet types 192–223).
enum PacketClass: Equatable {
    case stun
    case dtls
    case turnChannel
    case rtp
    case rtcp
    case unknown

    /// First bytes of SRTP and SRTCP (RFC 7983 §7): media, which moves no ICE or DTLS state.
    static let mediaFirstBytes: ClosedRange<UInt8> = 128...191

    init(_ bytes: borrowing [UInt8]) {
        guard let first = bytes.first else {
            self = .unknown
            return
        }
        switch first {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case Self.mediaFirstBytes:
            guard bytes.count >= 2 else {
                self = .unknown
                return
            }
            self = (192...223).contains(bytes[1]) ? .rtcp : .rtp
        default: self = .unknown
        }
    }
}
