import CFFmpeg

/// FFmpeg's own log (standard error): peergate reports media failures itself, as typed
/// errors with FFmpeg's message, so the library's warnings (estimated durations, frame
/// sizes of remuxed streams) are left out.
public enum MediaLibraryLog {
    /// Only FFmpeg's errors reach standard error.
    public static func errorsOnly() {
        av_log_set_level(16)  // AV_LOG_ERROR
    }
}
