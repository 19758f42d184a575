import Foundation

/// Runs the built `peergate` executable as a child process.
public struct PeergateProcess {
    /// The `peergate` binary next to the test bundle (SwiftPM builds it because this
    /// test target depends on the executable target).
    public static let executable: URL = {
        let testBinary = URL(filePath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appending(path: "peergate")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appending(path: ".build/debug/peergate")
    }()

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `peergate arguments…` to completion (at most `timeout` seconds).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let process = try start(arguments, environment: environment, directory: directory)
        return try await process.finish(timeout: timeout)
    }

    /// Starts `peergate arguments…` in the background. A `serve` gets free STUN/TURN ports
    /// (port 0) unless the test sets them, so servers of tests running in parallel never
    /// compete for the default 3478 / 5349.
    public static func start(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PEERGATE_") }
        if arguments.first == "serve" {
            inherited["PEERGATE_TURN_PORT"] = "0"
            inherited["PEERGATE_TURN_TLS_PORT"] = "0"
        }
        inherited.merge(environment) { _, new in new }
        process.environment = inherited
        if let directory { process.currentDirectoryURL = URL(filePath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return Running(process: process, output: output, errors: errors)
    }

    /// A started child process.
    public final class Running: @unchecked Sendable {
        public let process: Process
        private let output: Pipe
        private let errors: Pipe
        private var collectedOutput = Data()
        private var collectedErrors = Data()
        private let lock = NSLock()

        init(process: Process, output: Pipe, errors: Pipe) {
            self.process = process
            self.output = output
            self.errors = errors
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.lock.withLock { self?.collectedOutput.append(data) }
            }
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.lock.withLock { self?.collectedErrors.append(data) }
            }
        }

        /// Standard error so far.
        public var stderrSoFar: String {
            lock.withLock { String(decoding: collectedErrors, as: UTF8.self) }
        }

        public func signal(_ number: Int32) {
            kill(process.processIdentifier, number)
        }

        /// Waits for exit (killing the process after `timeout`) and returns its result.
        public func finish(timeout: Duration = .seconds(60)) async throws -> Result {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning {
                if ContinuousClock.now > deadline {
                    process.terminate()
                    throw ProcessTimeout(arguments: process.arguments ?? [])
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            output.fileHandleForReading.readabilityHandler = nil
            errors.fileHandleForReading.readabilityHandler = nil
            let restOut = output.fileHandleForReading.readDataToEndOfFile()
            let restErr = errors.fileHandleForReading.readDataToEndOfFile()
            return lock.withLock {
                collectedOutput.append(restOut)
                collectedErrors.append(restErr)
                return Result(
                    status: process.terminationStatus,
                    stdout: String(decoding: collectedOutput, as: UTF8.self),
                    stderr: String(decoding: collectedErrors, as: UTF8.self))
            }
        }
    }

    public struct ProcessTimeout: Error, CustomStringConvertible {
        public let arguments: [String]
        public init(arguments: [String]) {
            self.arguments = arguments
        }

        public var description: String { "peergate \(arguments.joined(separator: " ")) did not exit in time" }
    }
}

/// A fresh temporary directory path (not created).
public func temporaryPath(_ prefix: String) -> String {
    FileManager.default.temporaryDirectory.appending(path: "\(prefix)-\(UUID().uuidString)").path(percentEncoded: false)
}

/// The repository's top-level directory.
public let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
