import CFFmpeg

/// Re-encodes a source's audio (AAC, as most IP cameras send) to Opus at 48 kHz — browsers
/// cannot take AAC over WebRTC (RFC 7874 §3: Opus and G.711 are the WebRTC audio codecs):
/// libavcodec decodes it, libswresample converts it to 48 kHz interleaved float (stereo at
/// most), and libopus encodes 20 ms frames (RFC 7587). Not thread-safe: the reader owns it.
final class OpusTranscoder {
    static let sampleRate: Int32 = 48_000
    static let frameSamples: Int32 = 960

    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var fifo: OpaquePointer?
    private let decoded: UnsafeMutablePointer<AVFrame>
    private let converted: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    let channels: Int32
    /// Presentation time of the next sample out (µs), from the first input packet on.
    private var nextMicroseconds: Int64?
    private var samplesOut: Int64 = 0

    init(parameters: UnsafePointer<AVCodecParameters>, bitrate: Int = 64_000) throws(MediaError) {
        guard let decoded = av_frame_alloc(), let converted = av_frame_alloc(), let packet = av_packet_alloc() else {
            throw .library(operation: "allocation", code: peergate_averror(ENOMEM), message: "out of memory")
        }
        (self.decoded, self.converted, self.packet) = (decoded, converted, packet)
        channels = min(max(parameters.pointee.ch_layout.nb_channels, 1), 2)
        guard let decoderCodec = avcodec_find_decoder(parameters.pointee.codec_id), let encoderCodec = avcodec_find_encoder_by_name("libopus") else {
            throw .library(operation: "finding the audio decoder or libopus", code: -1, message: "codec not available")
        }
        decoder = avcodec_alloc_context3(decoderCodec)
        encoder = avcodec_alloc_context3(encoderCodec)
        guard let decoder, let encoder else { throw .library(operation: "allocation", code: peergate_averror(ENOMEM), message: "out of memory") }
        try MediaError.check(avcodec_parameters_to_context(decoder, parameters), "audio decoder parameters")
        try MediaError.check(avcodec_open2(decoder, decoderCodec, nil), "opening the audio decoder")
        encoder.pointee.sample_rate = Self.sampleRate
        encoder.pointee.sample_fmt = AV_SAMPLE_FMT_FLT
        encoder.pointee.bit_rate = Int64(bitrate)
        av_channel_layout_default(&encoder.pointee.ch_layout, channels)
        encoder.pointee.time_base = AVRational(num: 1, den: Self.sampleRate)
        try MediaError.check(avcodec_open2(encoder, encoderCodec, nil), "opening the Opus encoder")
        var output = encoder.pointee.ch_layout
        var input = decoder.pointee.ch_layout
        if input.nb_channels == 0 { av_channel_layout_default(&input, parameters.pointee.ch_layout.nb_channels) }
        try MediaError.check(
            swr_alloc_set_opts2(&resampler, &output, AV_SAMPLE_FMT_FLT, Self.sampleRate, &input, decoder.pointee.sample_fmt, decoder.pointee.sample_rate, 0, nil),
            "configuring the resampler")
        try MediaError.check(swr_init(resampler), "starting the resampler")
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLT, channels, Self.frameSamples * 4)
        guard fifo != nil else { throw .library(operation: "allocation", code: peergate_averror(ENOMEM), message: "out of memory") }
    }

    deinit {
        avcodec_free_context(&decoder)
        avcodec_free_context(&encoder)
        swr_free(&resampler)
        if let fifo { av_audio_fifo_free(fifo) }
        var frames: [UnsafeMutablePointer<AVFrame>?] = [decoded, converted]
        av_frame_free(&frames[0])
        av_frame_free(&frames[1])
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    /// Opus packets (each 20 ms, with its presentation time in µs) for one input packet
    /// whose first sample is at `microseconds`.
    func transcode(_ input: UnsafeMutablePointer<AVPacket>, microseconds: Int64) throws(MediaError) -> [(data: [UInt8], microseconds: Int64)] {
        if nextMicroseconds == nil { nextMicroseconds = microseconds }
        let sent = avcodec_send_packet(decoder, input)
        // A damaged packet is skipped (the decoder says so); the stream goes on.
        guard sent >= 0 || sent == peergate_averror_eagain() else { return [] }
        var out: [(data: [UInt8], microseconds: Int64)] = []
        while avcodec_receive_frame(decoder, decoded) >= 0 {
            try resample()
            av_frame_unref(decoded)
            while av_audio_fifo_size(fifo) >= Self.frameSamples { try encodeFrame(into: &out) }
        }
        return out
    }

    private func resample() throws(MediaError) {
        let capacity = swr_get_out_samples(resampler, decoded.pointee.nb_samples)
        guard capacity > 0 else { return }
        converted.pointee.format = AV_SAMPLE_FMT_FLT.rawValue
        converted.pointee.sample_rate = Self.sampleRate
        converted.pointee.nb_samples = capacity
        av_channel_layout_default(&converted.pointee.ch_layout, channels)
        try MediaError.check(av_frame_get_buffer(converted, 0), "audio buffer")
        defer { av_frame_unref(converted) }
        let count = withUnsafeMutablePointer(to: &converted.pointee.data.0) { output in
            withUnsafeMutablePointer(to: &decoded.pointee.data.0) { input in
                input.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { swr_convert(resampler, output, capacity, $0, decoded.pointee.nb_samples) }
            }
        }
        try MediaError.check(count, "resampling audio")
        let written = withUnsafeMutablePointer(to: &converted.pointee.data.0) { data in
            data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) { av_audio_fifo_write(fifo, $0, count) }
        }
        try MediaError.check(written, "buffering audio")
    }

    private func encodeFrame(into out: inout [(data: [UInt8], microseconds: Int64)]) throws(MediaError) {
        converted.pointee.format = AV_SAMPLE_FMT_FLT.rawValue
        converted.pointee.sample_rate = Self.sampleRate
        converted.pointee.nb_samples = Self.frameSamples
        av_channel_layout_default(&converted.pointee.ch_layout, channels)
        try MediaError.check(av_frame_get_buffer(converted, 0), "audio buffer")
        defer { av_frame_unref(converted) }
        let read = withUnsafeMutablePointer(to: &converted.pointee.data.0) { data in
            data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) { av_audio_fifo_read(fifo, $0, Self.frameSamples) }
        }
        try MediaError.check(read, "reading buffered audio")
        converted.pointee.pts = samplesOut
        samplesOut += Int64(Self.frameSamples)
        try MediaError.check(avcodec_send_frame(encoder, converted), "encoding Opus")
        while avcodec_receive_packet(encoder, packet) >= 0 {
            let bytes = Array(UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
            let samples = packet.pointee.pts == peergate_av_nopts_value() ? samplesOut - Int64(Self.frameSamples) : packet.pointee.pts
            out.append((bytes, (nextMicroseconds ?? 0) + samples * 1_000_000 / Int64(Self.sampleRate)))
            av_packet_unref(packet)
        }
    }
}
