/// How a ``MediaSourceReader`` opens its source.
public struct MediaSourceOptions: Sendable {
    /// Longest wait for the source to open (connect, probe streams).
    public var openTimeout: Duration = .seconds(10)
    /// Longest wait for one packet.
    public var readTimeout: Duration = .seconds(10)
    /// Options for the demuxer or protocol, such as `rtsp_transport=tcp` or, for a raw
    /// `.h264` file, `framerate=30`.
    public var formatOptions: [String: String] = [:]
    /// Audio in a codec WebRTC cannot carry (AAC, MP3, PCM…) comes out re-encoded as Opus
    /// 48 kHz (``MediaStreamInfo/codec`` says `.opus`); otherwise AAC comes out as it is and
    /// other audio codecs are skipped.
    public var transcodeAudioToOpus = false
    /// Stops the reader's blocking calls when cancelled (from any thread).
    public var cancellation: MediaSourceCancellation?

    public init(openTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(10), formatOptions: [String: String] = [:]) {
        self.openTimeout = openTimeout
        self.readTimeout = readTimeout
        self.formatOptions = formatOptions
    }
}
