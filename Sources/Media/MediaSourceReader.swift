import CFFmpeg

/// Reads encoded frames from a file or network source through libavformat, without
/// decoding: the first H.264/H.265/VP8 stream and the first Opus/PCMU/PCMA/AAC stream.
/// H.264 and H.265 come out as Annex B with parameter sets before every keyframe.
/// Not thread-safe: one task reads it.
public final class MediaSourceReader {
    /// The streams that ``next()`` returns packets of (at most one video, one audio).
    public let streams: [MediaStreamInfo]
    /// The source's duration in microseconds, when the container knows it.
    public let durationMicroseconds: Int64?
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let deadline: InterruptDeadline
    private let readTimeout: Duration
    private var filters: [Int: BitstreamFilter] = [:]
    private var transcoders: [Int: OpusTranscoder] = [:]
    private var timeBases: [Int: AVRational] = [:]
    private var pending: [MediaPacket] = []
    /// Where the next packet of a stream falls when the container gives no timestamps
    /// (raw Annex B): the previous one plus its duration.
    private var expectedMicroseconds: [Int: Int64] = [:]
    private let startMicroseconds: Int64

    /// Opens `url` (a path, `rtsp://…`, or any URL libavformat understands) and finds its streams.
    public init(url: String, options: MediaSourceOptions = MediaSourceOptions()) throws(MediaError) {
        guard let packet = av_packet_alloc(), let context = avformat_alloc_context() else {
            throw .library(operation: "allocation", code: peergate_averror(ENOMEM), message: "out of memory")
        }
        self.packet = packet
        deadline = InterruptDeadline(external: options.cancellation)
        readTimeout = options.readTimeout
        context.pointee.interrupt_callback = deadline.callback
        self.context = context
        var dictionary: OpaquePointer?
        for (key, value) in options.formatOptions { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        deadline.arm(options.openTimeout)
        let opened = avformat_open_input(&self.context, url, nil, &dictionary)
        if opened < 0 {
            if deadline.expired { throw .timedOut(operation: "opening \(url)") }
            try MediaError.check(opened, "opening \(url)")
        }
        guard let context = self.context else { throw .library(operation: "opening \(url)", code: -1, message: "no context") }
        try MediaError.check(avformat_find_stream_info(context, nil), "reading the streams of \(url)")
        var found: [MediaStreamInfo] = []
        for index in 0..<Int(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[index] else { continue }
            let parameters = stream.pointee.codecpar!
            let isAudio = parameters.pointee.codec_type == AVMEDIA_TYPE_AUDIO
            let transcoded = options.transcodeAudioToOpus && isAudio && ![.opus, .pcmu, .pcma].contains(Self.codec(parameters.pointee.codec_id))
            guard let codec = transcoded ? .opus : Self.codec(parameters.pointee.codec_id),
                !found.contains(where: { $0.codec.isVideo == codec.isVideo })
            else {
                stream.pointee.discard = AVDISCARD_ALL
                continue
            }
            if transcoded {
                let transcoder = try OpusTranscoder(parameters: parameters)
                transcoders[index] = transcoder
                found.append(MediaStreamInfo(index: index, codec: .opus, sampleRate: Int(OpusTranscoder.sampleRate), channels: Int(transcoder.channels)))
                timeBases[index] = stream.pointee.time_base
                continue
            }
            var info = MediaStreamInfo(
                index: index, codec: codec, width: Int(parameters.pointee.width), height: Int(parameters.pointee.height),
                sampleRate: Int(parameters.pointee.sample_rate), channels: Int(parameters.pointee.ch_layout.nb_channels))
            info.reordersFrames = codec.isVideo && parameters.pointee.video_delay > 0
            // Annex B extradata (RTSP's sprop-parameter-sets, raw streams); avcC/hvcC
            // extradata is put before keyframes by the bitstream filter.
            if let extradata = parameters.pointee.extradata, parameters.pointee.extradata_size > 4 {
                let bytes = Array(UnsafeBufferPointer(start: extradata, count: Int(parameters.pointee.extradata_size)))
                if bytes.starts(with: [0, 0, 1]) || bytes.starts(with: [0, 0, 0, 1]) { info.parameterSets = bytes }
            }
            found.append(info)
            timeBases[index] = stream.pointee.time_base
            if codec == .h264 || codec == .h265 {
                filters[index] = try BitstreamFilter(
                    name: codec == .h264 ? "h264_mp4toannexb" : "hevc_mp4toannexb", parameters: parameters, timeBase: stream.pointee.time_base)
            }
        }
        guard !found.isEmpty else { throw .noUsableStream(url) }
        streams = found
        let start = context.pointee.start_time
        startMicroseconds = start == peergate_av_nopts_value() ? 0 : start
        let duration = context.pointee.duration
        durationMicroseconds = duration == peergate_av_nopts_value() || duration <= 0 ? nil : duration
    }

    deinit {
        avformat_close_input(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    /// Stops a blocking open or read from another thread.
    public func interrupt() { deadline.cancel() }

    /// The next frame in container order, or nil at the end of the source.
    public func next() throws(MediaError) -> MediaPacket? {
        while pending.isEmpty {
            deadline.arm(readTimeout)
            let status = av_read_frame(context, packet)
            if status == peergate_averror_eof() { return nil }
            if status < 0, deadline.expired { throw .timedOut(operation: "reading a packet") }
            try MediaError.check(status, "av_read_frame")
            let index = Int(packet.pointee.stream_index)
            guard let info = streams.first(where: { $0.index == index }) else {
                av_packet_unref(packet)
                continue
            }
            if let transcoder = transcoders[index] {
                let start = convert(packet, info).presentationMicroseconds
                defer { av_packet_unref(packet) }
                for (data, microseconds) in try transcoder.transcode(packet, microseconds: start) {
                    pending.append(MediaPacket(stream: index, codec: .opus, data: data, presentationMicroseconds: microseconds, isKeyframe: true))
                }
            } else if let filter = filters[index] {
                try filter.filter(packet) { pending.append(convert($0, info)) }
            } else {
                pending.append(convert(packet, info))
                av_packet_unref(packet)
            }
        }
        return pending.removeFirst()
    }

    private func convert(_ packet: UnsafeMutablePointer<AVPacket>, _ info: MediaStreamInfo) -> MediaPacket {
        let bytes = packet.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(packet.pointee.size))) } ?? []
        let timeBase = timeBases[info.index] ?? peergate_av_time_base_q()
        let time = packet.pointee.pts == peergate_av_nopts_value() ? packet.pointee.dts : packet.pointee.pts
        let microseconds = time == peergate_av_nopts_value()
            ? expectedMicroseconds[info.index] ?? 0
            : av_rescale_q(time, timeBase, peergate_av_time_base_q()) - startMicroseconds
        if packet.pointee.duration > 0 {
            expectedMicroseconds[info.index] = microseconds + av_rescale_q(packet.pointee.duration, timeBase, peergate_av_time_base_q())
        }
        return MediaPacket(
            stream: info.index, codec: info.codec, data: bytes, presentationMicroseconds: microseconds,
            isKeyframe: packet.pointee.flags & AV_PKT_FLAG_KEY != 0)
    }

    static func codec(_ id: AVCodecID) -> MediaCodec? {
        switch id {
        case AV_CODEC_ID_H264: .h264
        case AV_CODEC_ID_HEVC: .h265
        case AV_CODEC_ID_VP8: .vp8
        case AV_CODEC_ID_OPUS: .opus
        case AV_CODEC_ID_PCM_MULAW: .pcmu
        case AV_CODEC_ID_PCM_ALAW: .pcma
        case AV_CODEC_ID_AAC: .aac
        default: nil
        }
    }
}
