import Foundation

/// GStreamer's RTSP server (`Tests/Peers/rtsp_test_server.py`, run by the system's
/// python3 for its gi bindings) serving a live H.264 + Opus test pattern at ``url``.
public final class RTSPTestServer: @unchecked Sendable {
    public let port: Int
    public let gop: Int
    private var process: Process

    /// Starts a server on `port` (0: a free one) with a keyframe every `gop` frames.
    public init(port: Int = 0, gop: Int = 30) async throws {
        (process, self.port) = try await Self.launch(port: port, gop: gop)
        self.gop = gop
    }

    public var url: String { "rtsp://127.0.0.1:\(port)/test" }

    /// Kills the server (a camera that goes away). SIGKILL: the child inherits the test
    /// runner's blocked signals, SIGTERM among them.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts it again on the same port (the camera comes back).
    public func restart() async throws {
        stop()
        (process, _) = try await Self.launch(port: port, gop: gop)
    }

    deinit { stop() }

    private static func launch(port: Int, gop: Int) async throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/python3")
        process.arguments = [packageRoot.appending(path: "Tests/Peers/rtsp_test_server.py").path(percentEncoded: false), "\(port)", "\(gop)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "ready PORT" once the server listens.
        var line = Data()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("ready "), let bound = Int(text.dropFirst(6)) else {
            process.terminate()
            throw Failure(description: "the RTSP test server did not start (is gir1.2-gst-rtsp-server-1.0 installed? `make test` installs it): \(text)")
        }
        return (process, bound)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
