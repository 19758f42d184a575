import Foundation

/// coturn's `turnserver` with the same users, realm and loopback policy as the peergate
/// under test: the reference implementation of the TURN benchmark.
final class CoturnProcess: Sendable {
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(port: Int, relayPorts: ClosedRange<Int>, username: String, password: String) async throws -> CoturnProcess {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/turnserver")
        process.arguments = [
            "-n", "--no-cli", "--listening-ip=127.0.0.1", "--listening-port=\(port)", "--relay-ip=127.0.0.1",
            "--min-port=\(relayPorts.lowerBound)", "--max-port=\(relayPorts.upperBound)", "--user=\(username):\(password)", "--realm=peergate",
            "--lt-cred-mech", "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-stdout-log", "--log-file=/dev/null",
            "--pidfile=/tmp/peergate-bench-coturn.pid", "--total-quota=0", "--user-quota=0",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .seconds(2))
        guard process.isRunning else { throw BenchFailure(message: "turnserver did not start (is coturn installed?)") }
        return CoturnProcess(process: process, port: port)
    }

    /// coturn does not stop promptly on SIGTERM: it is killed.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Runs a command and returns its output (standard output and error).
enum BenchCommandLine {
    static func run(_ path: String, _ arguments: [String], timeout: Double) async throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline { process.terminate() }
            try await Task.sleep(for: .milliseconds(50))
        }
        return String(decoding: await reader.value, as: UTF8.self)
    }
}
