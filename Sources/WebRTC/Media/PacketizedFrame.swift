import RTP
import SDP

/// One encoded frame split into RTP payloads once, to be sent on many connections: each
/// connection writes its own headers (SSRC, sequence numbers, payload type) around the
/// same payloads and encrypts them with its own keys (fan-out, see
/// ``PeerConnection/send(_:kind:rtpTimestamp:)``).
public struct PacketizedFrame: Sendable {
    public let frame: [UInt8]
    /// The codec the payloads are made for (RFC 6184, 7798, 7741 or 7587 payload format).
    public let codecName: String
    let parts: [RTPPayloadPart]

    /// Payload count (RTP packets per connection).
    public var packetCount: Int { parts.count }
}

/// Splits frames of one codec into payloads (its payloader keeps per-stream state, such
/// as VP8's picture ID, across frames).
public struct FramePacketizer: Sendable {
    public let codec: SDPCodec
    private var payloader: any RTPPayloader

    public init(codec: SDPCodec) {
        self.codec = codec
        payloader = CodecPackets.payloader(for: codec)
    }

    public mutating func packetize(_ frame: [UInt8]) -> PacketizedFrame {
        PacketizedFrame(frame: frame, codecName: codec.name, parts: payloader.parts(for: frame))
    }
}
