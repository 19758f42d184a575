import Foundation

/// Lines of standard input as an async sequence, read on a thread of their own (a blocking
/// read must never occupy the cooperative pool). Finishes at end of input.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        thread.start()
        return lines
    }
}
