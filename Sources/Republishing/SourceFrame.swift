import Media
import SDP

/// A frame of a republished source on the output timeline: what every viewer is sent.
public struct SourceFrame: Sendable, Equatable {
    public let kind: SDPCodec.Kind
    public let codec: MediaCodec
    /// Annex B for H.264/H.265 (keyframes with their parameter sets), one codec frame otherwise.
    public let data: [UInt8]
    /// Microseconds on the output timeline: continuous across loops and reconnects.
    public let time: Int64
    public let isKeyframe: Bool

    public init(kind: SDPCodec.Kind, codec: MediaCodec, data: [UInt8], time: Int64, isKeyframe: Bool) {
        self.kind = kind
        self.codec = codec
        self.data = data
        self.time = time
        self.isKeyframe = isKeyframe
    }
}
