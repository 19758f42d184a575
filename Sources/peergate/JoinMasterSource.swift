import Media
import SDP

/// What `peergate join --role master` sends: every frame of `--source` read once through
/// libavformat (H.264 or H.265 video, Opus/PCMU/PCMA audio), in presentation order.
struct JoinMasterSource: Sendable {
    /// Sources are held in memory; larger files belong to `peergate publish`.
    static let byteLimit = 256 << 20

    let packets: [MediaPacket]
    let videoCodec: MediaCodec?
    let audioCodec: MediaCodec?
    /// One pass through the file, in microseconds: the loop period.
    let periodMicroseconds: Int64

    /// Reads `path`; a raw Annex B file (`.h264`, `.264`, `.h265`, `.265`) is timed at `fps`.
    init(path: String, fps: Int) throws {
        let raw = ["h264", "264", "h265", "265", "hevc"].contains(path.split(separator: ".").last.map { $0.lowercased() } ?? "")
        let reader = try MediaSourceReader(url: path, options: MediaSourceOptions(formatOptions: raw ? ["framerate": "\(fps)"] : [:]))
        videoCodec = reader.streams.first { $0.codec == .h264 || $0.codec == .h265 }?.codec
        audioCodec = reader.streams.first { [.opus, .pcmu, .pcma].contains($0.codec) }?.codec
        var packets: [MediaPacket] = []
        var bytes = 0
        while let packet = try reader.next() {
            guard packet.codec == videoCodec || packet.codec == audioCodec else { continue }
            bytes += packet.data.count
            if bytes > Self.byteLimit { throw MediaError.tooLarge(limit: Self.byteLimit) }
            packets.append(packet)
        }
        guard videoCodec != nil || audioCodec != nil, !packets.isEmpty else { throw MediaError.noUsableStream(path) }
        self.packets = packets.sorted { $0.presentationMicroseconds < $1.presentationMicroseconds }
        let last = self.packets.last?.presentationMicroseconds ?? 0
        let frameGap = videoCodec == nil ? 20_000 : Int64(1_000_000 / fps)
        periodMicroseconds = max(reader.durationMicroseconds ?? 0, last + frameGap)
    }

    /// The codecs the answer may pick for this source, per kind.
    var sdpCodecs: [SDPCodec] {
        var codecs: [SDPCodec] = []
        switch videoCodec {
        case .h264: codecs += [.h264ConstrainedBaseline, .h264High]
        case .h265: codecs.append(.h265)
        default: break
        }
        switch audioCodec {
        case .opus: codecs.append(.opus)
        case .pcmu: codecs.append(.pcmu)
        case .pcma: codecs.append(.pcma)
        default: break
        }
        return codecs
    }
}
