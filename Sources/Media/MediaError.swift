import CFFmpeg

/// Why libavformat or libavcodec refused to open, read or convert media.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A libav* call failed; `message` is FFmpeg's text for the code.
    case library(operation: String, code: Int32, message: String)
    /// The source holds no stream peergate can send (H.264, H.265, Opus, PCMU, PCMA).
    case noUsableStream(String)
    /// The source timed out (open or read) or the read was interrupted.
    case timedOut(operation: String)
    /// The source is larger than a caller's limit.
    case tooLarge(limit: Int)
    /// A file could not be opened, written or synced.
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .library(let operation, let code, let message): "\(operation) failed: \(message) (FFmpeg error \(code))"
        case .noUsableStream(let source): "\(source) holds no H.264, H.265, Opus, PCMU or PCMA stream"
        case .timedOut(let operation): "\(operation) timed out"
        case .tooLarge(let limit): "media larger than \(limit) bytes"
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }

    /// The error of a negative libav* return code.
    static func check(_ code: Int32, _ operation: String) throws(MediaError) {
        guard code < 0 else { return }
        throw library(operation: operation, code: code, message: text(code))
    }

    /// FFmpeg's message for an error code (`av_err2str`).
    static func text(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        peergate_av_error_string(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
