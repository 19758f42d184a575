import COpenSSL

/// The calling thread's OpenSSL error queue, drained into one message.
enum OpenSSLErrorQueue {
    /// Every queued error as text joined by "; " (or `fallback` when the queue is empty);
    /// the queue is empty afterwards.
    static func drain(fallback: String) -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}
