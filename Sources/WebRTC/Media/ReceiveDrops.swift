/// Received packets a ``PeerConnection`` dropped before any stream took them (bad input
/// from the network is dropped and counted).
public struct ReceiveDrops: Sendable, Equatable {
    /// RTP packets that did not parse (RFC 3550 §5.1 header, lengths, padding).
    public var malformedRTP = 0
    /// Compound RTCP packets that did not parse (RFC 3550 §6.1).
    public var malformedRTCP = 0
    /// RTP packets of a payload type no negotiated section carries.
    public var unknownPayloadType = 0

    public init() {}
}
