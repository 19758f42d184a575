/// The file format of a recording segment. Every one is written so that a file cut short
/// keeps its whole fragments (clusters) playable.
public enum SegmentContainer: String, Sendable, CaseIterable {
    /// Fragmented MP4 (ISO/IEC 14496-12 §8.8): H.264, H.265, Opus, G.711.
    case fragmentedMP4 = "mp4"
    /// WebM (Matroska subset, clusters of at most a fragment's duration): VP8 with Opus or
    /// no audio (FFmpeg 5.1 cannot put VP8 in MP4).
    case webM = "webm"
    /// Matroska: VP8 with G.711 (not allowed in WebM).
    case matroska = "mkv"

    /// The file name extension (without the dot).
    public var fileExtension: String { rawValue }

    /// libavformat's muxer name.
    var muxer: String {
        switch self {
        case .fragmentedMP4: "mp4"
        case .webM: "webm"
        case .matroska: "matroska"
        }
    }

    /// The container for these codecs: MP4 unless the video is VP8.
    public static func `for`(video: MediaCodec?, audio: MediaCodec?) -> SegmentContainer {
        guard video == .vp8 else { return .fragmentedMP4 }
        return audio == nil || audio == .opus ? .webM : .matroska
    }

    /// The container a segment file name says, nil for other files.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), let container = Self(rawValue: String(path[path.index(after: dot)...])) else { return nil }
        self = container
    }
}
