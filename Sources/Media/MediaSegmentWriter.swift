import CFFmpeg

/// Writes encoded frames into a segment file through libavformat, without re-encoding.
/// Fragmented MP4 (the default): `ftyp` + an empty `moov`, then `moof`/`mdat` fragments
/// that start at video keyframes and last at most `fragmentDuration` (ISO/IEC 14496-12
/// §8.8). WebM/Matroska (VP8): a Segment of unknown size, then clusters of at most
/// `fragmentDuration`. A file cut short keeps every complete fragment playable. H.264/H.265 come in as Annex B (the muxer writes
/// them length-prefixed, with the parameter sets of `video.parameterSets` in `avcC`/`hvcC`);
/// Opus gets its `dOps` box from an `OpusHead` made here (RFC 7845 §5.1).
///
/// Frames are written as they come (no interleaving queue: the muxer holds a fragment's
/// samples until it cuts it), and each fragment reaches the file as soon as it is cut,
/// `fsync`ed when the policy is ``SegmentSyncPolicy/fragment``.
public final class MediaSegmentWriter {
    /// One track of the file.
    public struct Track: Sendable {
        public var codec: MediaCodec
        public var width = 0
        public var height = 0
        public var sampleRate = 0
        public var channels = 0
        /// Annex B SPS/PPS (and VPS for H.265), from the first keyframe.
        public var parameterSets: [UInt8] = []

        public init(codec: MediaCodec, width: Int = 0, height: Int = 0, sampleRate: Int = 0, channels: Int = 0, parameterSets: [UInt8] = []) {
            self.codec = codec
            self.width = width
            self.height = height
            self.sampleRate = sampleRate
            self.channels = channels
            self.parameterSets = parameterSets
        }
    }

    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let packet: UnsafeMutablePointer<AVPacket>
    /// Stream index in the file per track kind.
    private var videoStream: Int32?
    private var audioStream: Int32?
    private var finished = false
    private var headerWritten = false
    private let sink: SegmentFileSink
    private let syncPolicy: SegmentSyncPolicy
    /// Fragments (moof + mdat) in the file so far.
    public private(set) var fragmentsWritten = 0
    /// How long the last write's `fsync` took, when it made one.
    public private(set) var lastSync: Duration?

    /// Bytes in the file so far.
    public var bytesWritten: Int64 { sink.bytesWritten }

    public init(
        path: String, video: Track?, audio: Track?, container: SegmentContainer = .fragmentedMP4, fragmentDuration: Duration = .seconds(1), sync: SegmentSyncPolicy = .off
    ) throws(MediaError) {
        guard let packet = av_packet_alloc() else { throw .library(operation: "av_packet_alloc", code: peergate_averror(ENOMEM), message: "out of memory") }
        self.packet = packet
        syncPolicy = sync
        sink = try SegmentFileSink(path: path)
        try MediaError.check(avformat_alloc_output_context2(&context, nil, container.muxer, path), "creating \(path)")
        guard let context else { throw .library(operation: "creating \(path)", code: -1, message: "no context") }
        if let video { videoStream = try Self.addStream(context, video) }
        if let audio { audioStream = try Self.addStream(context, audio) }
        context.pointee.pb = sink.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var options: OpaquePointer?
        let (seconds, attoseconds) = fragmentDuration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if container == .fragmentedMP4 {
            av_dict_set(&options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0)
            av_dict_set(&options, "frag_duration", "\(micros)", 0)
        } else {
            // Clusters close at a keyframe or at the time limit (ms); never for size alone.
            av_dict_set(&options, "cluster_time_limit", "\(max(micros / 1000, 1))", 0)
            av_dict_set(&options, "cluster_size_limit", "\(1 << 30)", 0)
        }
        defer { av_dict_free(&options) }
        try MediaError.check(avformat_write_header(context, &options), "writing the header of \(path)")
        headerWritten = true
        try sink.flush()
        if sync == .fragment { lastSync = try sink.sync() }
    }

    deinit {
        if headerWritten, !finished, let context { av_write_trailer(context) }
        try? sink.flush()
        context?.pointee.pb = nil
        avformat_free_context(context)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    private static func addStream(_ context: UnsafeMutablePointer<AVFormatContext>, _ track: Track) throws(MediaError) -> Int32 {
        guard let stream = avformat_new_stream(context, nil), let parameters = stream.pointee.codecpar else {
            throw .library(operation: "avformat_new_stream", code: peergate_averror(ENOMEM), message: "out of memory")
        }
        switch track.codec {
        case .h264, .h265, .vp8:
            parameters.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            parameters.pointee.codec_id = track.codec == .h264 ? AV_CODEC_ID_H264 : track.codec == .h265 ? AV_CODEC_ID_HEVC : AV_CODEC_ID_VP8
            parameters.pointee.width = Int32(track.width)
            parameters.pointee.height = Int32(track.height)
            stream.pointee.time_base = AVRational(num: 1, den: 90_000)
            try setExtradata(parameters, track.parameterSets)
        case .opus, .pcmu, .pcma, .aac:
            parameters.pointee.codec_type = AVMEDIA_TYPE_AUDIO
            parameters.pointee.codec_id = track.codec == .opus ? AV_CODEC_ID_OPUS : track.codec == .pcmu ? AV_CODEC_ID_PCM_MULAW : track.codec == .pcma ? AV_CODEC_ID_PCM_ALAW : AV_CODEC_ID_AAC
            parameters.pointee.sample_rate = Int32(track.sampleRate)
            av_channel_layout_default(&parameters.pointee.ch_layout, Int32(max(track.channels, 1)))
            stream.pointee.time_base = AVRational(num: 1, den: Int32(max(track.sampleRate, 1)))
            if track.codec == .opus {
                // 20 ms frames at 48 kHz (RFC 7587 §4.2 allows others; the muxer only uses it for its own checks).
                parameters.pointee.frame_size = 960
                try setExtradata(parameters, opusHead(channels: max(track.channels, 1)))
            }
        }
        return stream.pointee.index
    }

    /// `OpusHead` (RFC 7845 §5.1): version 1, channels, pre-skip 0, 48 kHz, gain 0, family 0.
    static func opusHead(channels: Int) -> [UInt8] {
        Array("OpusHead".utf8) + [1, UInt8(channels), 0, 0, 0x80, 0xBB, 0, 0, 0, 0, 0]
    }

    private static func setExtradata(_ parameters: UnsafeMutablePointer<AVCodecParameters>, _ bytes: [UInt8]) throws(MediaError) {
        guard !bytes.isEmpty else { return }
        guard let buffer = av_mallocz(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE))?.assumingMemoryBound(to: UInt8.self) else {
            throw .library(operation: "av_mallocz", code: peergate_averror(ENOMEM), message: "out of memory")
        }
        buffer.update(from: bytes, count: bytes.count)
        parameters.pointee.extradata = buffer
        parameters.pointee.extradata_size = Int32(bytes.count)
    }

    /// Writes one frame; `presentationMicroseconds` from the start of the recording,
    /// increasing per track; `durationMicroseconds` when known (else the muxer estimates).
    public func write(_ frame: MediaPacket, durationMicroseconds: Int64 = 0) throws(MediaError) {
        lastSync = nil
        guard let context, let index = frame.codec.isVideo ? videoStream : audioStream, !frame.data.isEmpty else { return }
        let timeBase = context.pointee.streams[Int(index)]!.pointee.time_base
        let time = av_rescale_q(frame.presentationMicroseconds, peergate_av_time_base_q(), timeBase)
        let before = sink.bytesWritten
        // The packet points at the frame's bytes, not reference-counted and not copied:
        // `av_write_frame` reads them during the call, and a muxer that keeps a packet
        // (Matroska holds one audio packet) takes a reference, which copies an unowned one.
        let status = frame.data.withUnsafeBufferPointer { bytes in
            packet.pointee.data = UnsafeMutablePointer(mutating: bytes.baseAddress)
            packet.pointee.size = Int32(bytes.count)
            packet.pointee.pts = time
            packet.pointee.dts = time
            packet.pointee.stream_index = index
            packet.pointee.flags = frame.isKeyframe ? AV_PKT_FLAG_KEY : 0
            if durationMicroseconds > 0 { packet.pointee.duration = av_rescale_q(durationMicroseconds, peergate_av_time_base_q(), timeBase) }
            return av_write_frame(context, packet)
        }
        av_packet_unref(packet)
        try MediaError.check(status, "writing a frame")
        // The muxer writes a whole fragment when it cuts one: new bytes mean a new fragment.
        try sink.flush()
        if sink.bytesWritten > before {
            fragmentsWritten += 1
            if syncPolicy == .fragment { lastSync = try sink.sync() }
        }
    }

    /// Stops without writing anything more (after a write error): the file keeps what
    /// reached it, which a repair can then measure and trim; nothing is appended later.
    public func abandon() {
        finished = true
        sink.stopWriting()
    }

    /// Flushes the last fragment and closes the file.
    public func finish() throws(MediaError) {
        guard !finished, let context else { return }
        finished = true
        try MediaError.check(av_write_trailer(context), "writing the trailer")
        try sink.flush()
        if syncPolicy != .off { lastSync = try sink.sync() }
    }
}
