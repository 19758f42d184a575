import Foundation

/// Runs a program other than peergate (turnutils, openssl …) to completion.
public enum ExternalProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
    }

    /// Runs `path arguments…`, killing it after `timeout`; standard output and error together.
    public static func run(_ path: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(filePath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        async let reader = readToEnd(handle)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let data = await reader
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
