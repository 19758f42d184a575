import Foundation
import Logging
import Media
import SDP
import WebRTC

extension ChannelRecorder.Track {
    /// The track of a negotiated format as the muxer knows it; nil for what is not recorded.
    public init?(_ codec: SDPCodec) {
        let media: MediaCodec? =
            switch codec.name.uppercased() {
            case "H264": .h264
            case "H265": .h265
            case "VP8": .vp8
            case "OPUS": .opus
            case "PCMU": .pcmu
            case "PCMA": .pcma
            default: nil
            }
        guard let media else { return nil }
        self.init(codec: media, clockRate: codec.clockRate, channels: codec.channels)
    }

    /// The first recordable format of each kind in a negotiation (what the peer most
    /// likely sends; a frame of another codec replaces it).
    static func expected(_ media: [SDPNegotiatedMedia]) -> (video: Self?, audio: Self?) {
        func first(_ kind: SDPCodec.Kind) -> Self? { media.first { $0.kind == kind }?.codecs.lazy.compactMap { Self($0.codec) }.first }
        return (first(.video), first(.audio))
    }
}

extension ChannelRecorder {
    /// A recorder for the media of one negotiation.
    public convenience init(configuration: Configuration, negotiated media: [SDPNegotiatedMedia], index: RecordingIndex, logger: Logger) {
        let tracks = Track.expected(media)
        self.init(configuration: configuration, video: tracks.video, audio: tracks.audio, index: index, logger: logger)
    }

    /// A frame a PeerConnection received (its wall clock from sender reports, else its
    /// arrival; `arrival` in Unix µs, default now); returns true when a keyframe should be
    /// asked for.
    public func receive(_ received: ReceivedFrame, arrival: Int64? = nil) -> Bool {
        guard let track = Track(received.codec) else { return false }
        let now = arrival ?? Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        let wallClock = received.wallClock.map { Int64(($0 * 1_000_000).rounded()) } ?? now
        return receive(
            track, kind: received.codec.kind == .video ? .video : .audio, ssrc: received.ssrc, rtpTimestamp: received.frame.rtpTimestamp,
            isKeyframe: received.frame.isKeyframe, data: received.frame.data, wallClock: wallClock, arrival: now)
    }

    /// Closes the recording now.
    public func stopNow() {
        stop(at: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }
}
