import CFFmpeg
import Glibc

/// One recorded segment file opened for remuxing: its audio and video streams and their
/// packets in file order, timestamps in microseconds from the file's time zero. A file
/// still being written, or cut short, ends at its last whole packet.
final class SegmentInputFile {
    struct Stream {
        let index: Int32
        let parameters: UnsafeMutablePointer<AVCodecParameters>
        let timeBase: AVRational
    }

    struct Packet {
        let stream: Int32
        let pts: Int64
        let dts: Int64
        let duration: Int64
        let isKeyframe: Bool
        let isVideo: Bool
    }

    let path: String
    private var context: UnsafeMutablePointer<AVFormatContext>?
    let packet: UnsafeMutablePointer<AVPacket>
    /// Audio and video streams, in file order (others are ignored).
    private(set) var streams: [Stream] = []

    init(path: String) throws(MediaError) {
        self.path = path
        guard let packet = av_packet_alloc() else { throw .library(operation: "av_packet_alloc", code: peergate_averror(ENOMEM), message: "out of memory") }
        self.packet = packet
        try MediaError.check(avformat_open_input(&context, path, nil, nil), "opening \(path)")
        guard let context else { throw .library(operation: "opening \(path)", code: -1, message: "no context") }
        for index in 0..<Int32(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else { continue }
            let type = parameters.pointee.codec_type
            guard type == AVMEDIA_TYPE_VIDEO || type == AVMEDIA_TYPE_AUDIO else {
                stream.pointee.discard = AVDISCARD_ALL
                continue
            }
            streams.append(Stream(index: index, parameters: parameters, timeBase: stream.pointee.time_base))
        }
    }

    deinit {
        avformat_close_input(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    var hasVideo: Bool { streams.contains { $0.parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO } }

    /// Reads the next packet into ``packet`` and describes it (µs timestamps); nil at the
    /// end of the file or at a truncated tail.
    func next() -> Packet? {
        guard let context else { return nil }
        while true {
            av_packet_unref(packet)
            guard av_read_frame(context, packet) >= 0 else { return nil }
            guard let stream = streams.first(where: { $0.index == packet.pointee.stream_index }) else { continue }
            let micros = AVRational(num: 1, den: 1_000_000)
            let nopts = peergate_av_nopts_value()
            let rawPTS = packet.pointee.pts == nopts ? packet.pointee.dts : packet.pointee.pts
            let rawDTS = packet.pointee.dts == nopts ? rawPTS : packet.pointee.dts
            guard rawPTS != nopts else { continue }
            return Packet(
                stream: stream.index, pts: av_rescale_q(rawPTS, stream.timeBase, micros), dts: av_rescale_q(rawDTS, stream.timeBase, micros),
                duration: av_rescale_q(packet.pointee.duration, stream.timeBase, micros), isKeyframe: packet.pointee.flags & AV_PKT_FLAG_KEY != 0,
                isVideo: stream.parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO)
        }
    }

    /// Whether another file's streams can continue this one's output: same kinds and
    /// codecs in the same order, same codec configuration (`avcC`, `dOps` …) and picture size.
    func matches(_ other: SegmentInputFile) -> Bool {
        guard streams.count == other.streams.count else { return false }
        return zip(streams, other.streams).allSatisfy { mine, theirs in
            let a = mine.parameters.pointee
            let b = theirs.parameters.pointee
            guard a.codec_type == b.codec_type, a.codec_id == b.codec_id, a.width == b.width, a.height == b.height, a.sample_rate == b.sample_rate,
                a.extradata_size == b.extradata_size
            else { return false }
            guard a.extradata_size > 0, let left = a.extradata, let right = b.extradata else { return true }
            return memcmp(left, right, Int(a.extradata_size)) == 0
        }
    }
}
