import CFFmpeg

/// The muxer side of a ``SegmentConcatenation``: streams copied from the first file,
/// packets written on one continuous timeline (µs offsets per file), each stream's decode
/// times kept strictly increasing as MP4 requires.
final class ConcatenationOutput {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let sink: MediaByteSink
    private var lastDTS: [Int: Int64] = [:]
    /// End of the latest packet on the output timeline, µs.
    private(set) var end: Int64 = 0

    init(template: SegmentInputFile, container: SegmentContainer, sink: MediaByteSink) throws(MediaError) {
        self.sink = sink
        try MediaError.check(avformat_alloc_output_context2(&context, nil, container.muxer, nil), "creating a \(container.muxer) stream")
        guard let context else { throw .library(operation: "creating a \(container.muxer) stream", code: -1, message: "no context") }
        for input in template.streams {
            guard let stream = avformat_new_stream(context, nil) else { throw .library(operation: "avformat_new_stream", code: -1, message: "out of memory") }
            try MediaError.check(avcodec_parameters_copy(stream.pointee.codecpar, input.parameters), "copying stream parameters")
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = input.timeBase
        }
        context.pointee.pb = sink.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if container == .fragmentedMP4 {
            av_dict_set(&options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0)
            av_dict_set(&options, "frag_duration", "1000000", 0)
        } else {
            av_dict_set(&options, "live", "1", 0)
        }
        try MediaError.check(avformat_write_header(context, &options), "writing the stream header")
    }

    deinit {
        if let context { avformat_free_context(context) }
    }

    /// Writes the packet `file` just read as output stream `stream`; false when the
    /// consumer stopped.
    func write(_ file: SegmentInputFile, _ packet: SegmentInputFile.Packet, stream: Int, offset: Int64) throws(MediaError) -> Bool {
        guard let context, let outStream = context.pointee.streams[stream] else { return false }
        let micros = AVRational(num: 1, den: 1_000_000)
        let timeBase = outStream.pointee.time_base
        var dts = av_rescale_q(packet.dts + offset, micros, timeBase)
        if let last = lastDTS[stream], dts <= last { dts = last + 1 }
        let pts = max(av_rescale_q(packet.pts + offset, micros, timeBase), dts)
        lastDTS[stream] = dts
        end = max(end, packet.pts + offset + max(packet.duration, 1))
        let raw = file.packet
        raw.pointee.stream_index = Int32(stream)
        raw.pointee.pts = pts
        raw.pointee.dts = dts
        raw.pointee.duration = av_rescale_q(packet.duration, micros, timeBase)
        raw.pointee.pos = -1
        let result = av_interleaved_write_frame(context, raw)
        if sink.stopped { return false }
        try MediaError.check(result, "writing a packet")
        return true
    }

    /// Writes the trailer and pushes the last bytes; false when the consumer stopped.
    func finish() throws(MediaError) -> Bool {
        guard let context else { return false }
        let result = av_write_trailer(context)
        sink.flush()
        if sink.stopped { return false }
        try MediaError.check(result, "finishing the stream")
        return true
    }
}
