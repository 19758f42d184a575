// Thin shim over libavformat/libavcodec/libavutil/libswresample (FFmpeg 5.1, Debian 12).
// pkg-config's `--libs libavformat` yields only -lavformat, so the module map links
// avcodec, avutil and swresample explicitly. The static-inline functions below expose macros
// that Swift cannot import.
#ifndef PEERGATE_CFFMPEG_SHIM_H
#define PEERGATE_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/channel_layout.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>

/// `AVERROR(e)`: a POSIX errno as an FFmpeg error code.
static inline int peergate_averror(int posix_error) { return AVERROR(posix_error); }

/// `AVERROR_EOF`: end of file.
static inline int peergate_averror_eof(void) { return AVERROR_EOF; }

/// `AVERROR(EAGAIN)`: output not available in this state, feed more input.
static inline int peergate_averror_eagain(void) { return AVERROR(EAGAIN); }

/// `AV_NOPTS_VALUE`: undefined timestamp.
static inline int64_t peergate_av_nopts_value(void) { return AV_NOPTS_VALUE; }

/// `AV_TIME_BASE_Q`: the internal time base (microseconds) as a rational.
static inline AVRational peergate_av_time_base_q(void) { return AV_TIME_BASE_Q; }

/// `av_err2str` is a macro using a compound literal; this writes the message into
/// the caller's buffer instead (`av_strerror` falls back to a generic text).
static inline void peergate_av_error_string(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "unknown FFmpeg error %d", code);
    }
}

#endif
