import Foundation

/// A lossy, slow link in front of a UDP server (`Tests/Peers/impair_relay.py`): datagrams
/// each way are dropped with probability `loss`, else delayed `delay` ± `jitter` (uniform),
/// as netem does. Peers reach the server at 127.0.0.1:``port``.
public final class ImpairedLink: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe
    private let output: Pipe

    public init(upstreamPort: Int, loss: Double, delay: Duration, jitter: Duration, seed: Int = 1) throws {
        process = Process()
        process.executableURL = URL(filePath: "/usr/bin/python3")
        process.arguments = [
            packageRoot.appending(path: "Tests/Peers/impair_relay.py").path(percentEncoded: false), "127.0.0.1", "\(upstreamPort)", "\(loss)",
            "\(delay / .seconds(1))", "\(jitter / .seconds(1))", "\(seed)",
        ]
        input = Pipe()
        output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw Failure(description: "the impairment relay did not start: \(text)")
        }
        self.port = port
    }

    /// Stops the relay; returns the datagrams it forwarded and dropped.
    public func stop() -> (forwarded: Int, dropped: Int) {
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let counts = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Int] ?? [:]
        return (counts["forwarded"] ?? 0, counts["dropped"] ?? 0)
    }

    deinit { if process.isRunning { process.terminate() } }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
