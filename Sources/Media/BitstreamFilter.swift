import CFFmpeg

/// One libavcodec bitstream filter (here `h264_mp4toannexb` / `hevc_mp4toannexb`: length-
/// prefixed NAL units from MP4/MKV become Annex B with SPS/PPS (and VPS) before every
/// keyframe, which is what RTP payloaders and decoders joining mid-stream need).
final class BitstreamFilter {
    private var context: UnsafeMutablePointer<AVBSFContext>?
    private let output: UnsafeMutablePointer<AVPacket>

    init(name: String, parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws(MediaError) {
        guard let filter = av_bsf_get_by_name(name), let packet = av_packet_alloc() else {
            throw .library(operation: "bitstream filter \(name)", code: peergate_averror(ENOSYS), message: "not available")
        }
        output = packet
        try MediaError.check(av_bsf_alloc(filter, &context), "av_bsf_alloc(\(name))")
        guard let context else { throw .library(operation: "av_bsf_alloc", code: -1, message: "no context") }
        try MediaError.check(avcodec_parameters_copy(context.pointee.par_in, parameters), "avcodec_parameters_copy")
        context.pointee.time_base_in = timeBase
        try MediaError.check(av_bsf_init(context), "av_bsf_init(\(name))")
    }

    deinit {
        av_bsf_free(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = output
        av_packet_free(&packet)
    }

    /// Feeds one packet (taking its reference) and hands every output packet to `body`.
    func filter(_ packet: UnsafeMutablePointer<AVPacket>, _ body: (UnsafeMutablePointer<AVPacket>) -> Void) throws(MediaError) {
        try MediaError.check(av_bsf_send_packet(context, packet), "av_bsf_send_packet")
        while true {
            let status = av_bsf_receive_packet(context, output)
            if status == peergate_averror_eagain() || status == peergate_averror_eof() { return }
            try MediaError.check(status, "av_bsf_receive_packet")
            body(output)
            av_packet_unref(output)
        }
    }
}
