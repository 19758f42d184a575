import RTP
import SDP

/// The payloader and depacketizer of a negotiated codec.
enum CodecPackets {
    static func payloader(for codec: SDPCodec, maxPayload: Int = RTPLimits.defaultMaxPayload) -> any RTPPayloader {
        switch codec.name.uppercased() {
        case "H264": H264RTP.Payloader(maxPayload: maxPayload)
        case "H265": H265RTP.Payloader(maxPayload: maxPayload)
        case "VP8": VP8RTP.Payloader(maxPayload: maxPayload)
        default: AudioRTP.Payloader()
        }
    }

    static func depacketizer(for codec: SDPCodec) -> any RTPDepacketizer {
        switch codec.name.uppercased() {
        case "H264": H264RTP.Depacketizer()
        case "H265": H265RTP.Depacketizer()
        case "VP8": VP8RTP.Depacketizer()
        default: AudioRTP.Depacketizer()
        }
    }
}
