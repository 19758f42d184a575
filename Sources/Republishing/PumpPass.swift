import Media
import SDP

/// What one opening of a source republishes: its first H.264/H.265 video and first
/// Opus/PCMU/PCMA audio, checked once, then each packet made a ``SourceFrame``.
struct PumpPass {
    enum Outcome: Equatable {
        case finished
        case stopped
        case failed(String)
    }

    let streams: [MediaStreamInfo]
    private var carriers: [Int: ParameterSetCarrier] = [:]

    /// Codecs a WebRTC viewer can take without transcoding.
    static let videoCodecs: [MediaCodec] = [.h264, .h265, .vp8]
    static let audioCodecs: [MediaCodec] = [.opus, .pcmu, .pcma]

    init(streams all: [MediaStreamInfo], source: String) throws(RepublishError) {
        let video = all.first { Self.videoCodecs.contains($0.codec) }
        let audio = all.first { Self.audioCodecs.contains($0.codec) }
        if let video, video.reordersFrames { throw .reorderedFrames(source) }
        streams = [video, audio].compactMap { $0 }
        guard !streams.isEmpty else { throw .noRepublishableStream(source, found: all.map(\.codec.rawValue)) }
        for stream in streams where stream.codec == .h264 || stream.codec == .h265 {
            carriers[stream.index] = ParameterSetCarrier(codec: stream.codec, outOfBand: stream.parameterSets)
        }
    }

    /// The frame for a packet of a republished stream (nil for other streams).
    mutating func frame(_ packet: MediaPacket, clock: inout SourceClock, elapsed: Int64) -> SourceFrame? {
        guard let codec = streams.first(where: { $0.index == packet.stream })?.codec else { return nil }
        let kind: SDPCodec.Kind = codec.isVideo ? .video : .audio
        // In place: the carrier is not copied out of the dictionary and back for each packet.
        let data = carriers[packet.stream]?.prepare(packet.data, isKeyframe: packet.isKeyframe) ?? packet.data
        let time = clock.place(packet.presentationMicroseconds, kind: kind, elapsed: elapsed)
        return SourceFrame(kind: kind, codec: codec, data: data, time: time, isKeyframe: kind == .audio || packet.isKeyframe)
    }
}
