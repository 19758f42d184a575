/// Why a source cannot be republished.
public enum RepublishError: Error, Equatable, CustomStringConvertible {
    /// B-frames: WebRTC receivers decode in arrival order and expect no reordering.
    case reorderedFrames(String)
    /// No H.264/H.265/VP8 video and no Opus/PCMU/PCMA audio.
    case noRepublishableStream(String, found: [String])

    public var description: String {
        switch self {
        case .reorderedFrames(let source):
            "\(source) has B-frames (frames out of presentation order), which WebRTC viewers cannot play; re-encode it without B-frames (x264: -bf 0 or -tune zerolatency)"
        case .noRepublishableStream(let source, let found):
            "\(source) has no stream WebRTC viewers can take without transcoding (H.264, H.265, VP8, Opus, PCMU, PCMA); found: \(found.isEmpty ? "none" : found.joined(separator: ", "))"
        }
    }
}
