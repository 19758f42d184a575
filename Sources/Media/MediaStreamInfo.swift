/// A codec peergate carries without transcoding, as a container names it.
public enum MediaCodec: String, Sendable, Hashable {
    case h264 = "H264"
    case h265 = "H265"
    case vp8 = "VP8"
    case opus = "opus"
    case pcmu = "PCMU"
    case pcma = "PCMA"
    case aac = "AAC"

    public var isVideo: Bool { self == .h264 || self == .h265 || self == .vp8 }
}

/// One stream of a source: its codec and what a sender needs to know about it.
public struct MediaStreamInfo: Sendable, Equatable {
    /// The container's stream index.
    public let index: Int
    public let codec: MediaCodec
    /// Width and height for video, 0 for audio.
    public let width: Int
    public let height: Int
    /// Samples per second for audio, 0 for video.
    public let sampleRate: Int
    public let channels: Int
    /// H.264/H.265 parameter sets (SPS/PPS, VPS) the container or session description
    /// carries out of band, as Annex B; empty when they travel in the stream.
    public var parameterSets: [UInt8] = []
    /// Whether video frames come out of presentation order (B-frames): decode order and
    /// presentation order differ, which WebRTC receivers do not expect.
    public var reordersFrames = false

    public init(index: Int, codec: MediaCodec, width: Int = 0, height: Int = 0, sampleRate: Int = 0, channels: Int = 0) {
        self.index = index
        self.codec = codec
        self.width = width
        self.height = height
        self.sampleRate = sampleRate
        self.channels = channels
    }
}

/// One encoded frame read from a source. Video is Annex B (start codes, parameter sets
/// before every keyframe); audio is one codec frame.
public struct MediaPacket: Sendable, Equatable {
    public let stream: Int
    public let codec: MediaCodec
    public let data: [UInt8]
    /// Presentation time from the start of the source, in microseconds.
    public let presentationMicroseconds: Int64
    public let isKeyframe: Bool

    public init(stream: Int, codec: MediaCodec, data: [UInt8], presentationMicroseconds: Int64, isKeyframe: Bool) {
        self.stream = stream
        self.codec = codec
        self.data = data
        self.presentationMicroseconds = presentationMicroseconds
        self.isKeyframe = isKeyframe
    }
}
