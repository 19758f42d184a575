import CFFmpeg
import Testing

/// libavformat, libavcodec and libavutil link and work through the CFFmpeg module.
@Suite struct FFmpegSmokeTests {
    @Test func librariesReportVersionsOfFFmpeg5OrLater() {
        #expect(avformat_version() >> 16 >= 59)
        #expect(avcodec_version() >> 16 >= 59)
        #expect(avutil_version() >> 16 >= 57)
    }

    @Test func mp4MuxerAndH264DecoderAreAvailable() throws {
        var context: UnsafeMutablePointer<AVFormatContext>?
        #expect(avformat_alloc_output_context2(&context, nil, "mp4", nil) == 0)
        defer { avformat_free_context(context) }
        let muxerName = try #require(context?.pointee.oformat?.pointee.name)
        #expect(String(cString: muxerName) == "mp4")
        #expect(avcodec_find_decoder(AV_CODEC_ID_H264) != nil)
    }

    @Test func shimExposesErrorMacros() {
        // AVERROR_EOF is FFERRTAG('E','O','F',' '), negated (libavutil/error.h).
        let eof = -Int32(bitPattern: UInt32(0x45) | UInt32(0x4F) << 8 | UInt32(0x46) << 16 | UInt32(0x20) << 24)
        #expect(peergate_averror_eof() == eof)
        #expect(peergate_averror(22) == -22)
        #expect(peergate_av_nopts_value() == Int64.min)
        #expect(peergate_av_time_base_q().den == 1_000_000)
        var buffer = [CChar](repeating: 0, count: 128)
        peergate_av_error_string(peergate_averror_eof(), &buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(text == "End of file")
    }
}
