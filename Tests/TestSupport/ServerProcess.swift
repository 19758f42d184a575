import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `peergate serve` started for a test on port 0 with its own data directory.
public final class ServerProcess: Sendable {
    public let dataDir: String
    public let running: PeergateProcess.Running
    /// Ports of `ports.json`, keyed by listener.
    public let ports: [String: Int]
    /// The SigV4 key pair (the generated one unless the test configured its own).
    public let accessKeyId: String
    public let secretAccessKey: String

    /// Starts `peergate serve --http-port <port> --data-dir <dir> arguments…` (a new data
    /// directory and port 0 unless given) and waits for `ports.json`.
    public init(arguments: [String] = [], environment: [String: String] = [:], dataDir: String? = nil, httpPort: Int = 0) async throws {
        self.dataDir = dataDir ?? temporaryPath("peergate-server")
        let dataDir = self.dataDir
        running = try PeergateProcess.start(["serve", "--http-port", "\(httpPort)", "--data-dir", dataDir] + arguments, environment: environment)
        ports = try await Self.waitForPorts(dataDir, running)
        let credentials = (try? String(contentsOfFile: dataDir + "/credentials", encoding: .utf8)) ?? ""
        func value(_ key: String) -> String {
            credentials.split(separator: "\n").first { $0.hasPrefix(key) }.map { String($0.split(separator: "=", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        accessKeyId = value("aws_access_key_id")
        secretAccessKey = value("aws_secret_access_key")
    }

    /// `http://127.0.0.1:<port>` (or https when `scheme` says so).
    public func url(scheme: String = "http", host: String = "127.0.0.1") -> String {
        "\(scheme)://\(host):\(ports["http"] ?? 0)"
    }

    /// Stops the server with SIGTERM and (unless told to keep it) removes its data directory.
    @discardableResult
    public func stop(keepingData: Bool = false) async throws -> PeergateProcess.Result {
        running.signal(SIGTERM)
        let result = try await running.finish(timeout: .seconds(30))
        if !keepingData { try? FileManager.default.removeItem(atPath: dataDir) }
        return result
    }

    /// Runs `peergate <arguments…> --data-dir <this server's data dir>` (a client command
    /// that finds the server through ports.json and the generated credentials).
    public func client(_ arguments: [String]) async throws -> PeergateProcess.Result {
        try await PeergateProcess.run(arguments + ["--data-dir", dataDir])
    }

    /// The sum of a Prometheus metric's samples on `/metrics` whose line contains `matching`
    /// (for example a label such as `direction="to_peer"`), 0 when absent.
    public func metric(_ name: String, matching: String = "") async throws -> Double {
        try await metricsText().split(separator: "\n")
            .filter { ($0.hasPrefix(name + " ") || $0.hasPrefix(name + "{")) && (matching.isEmpty || $0.contains(matching)) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    /// The text of `/metrics` (Prometheus exposition format).
    public func metricsText() async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url() + "/metrics")!)
        return String(decoding: data, as: UTF8.self)
    }

    private static func waitForPorts(_ dataDir: String, _ running: PeergateProcess.Running) async throws -> [String: Int] {
        let path = dataDir + "/ports.json"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, running.process.isRunning {
            if let data = FileManager.default.contents(atPath: path), let ports = try? JSONDecoder().decode([String: Int].self, from: data) {
                return ports
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerDidNotStart(stderr: running.stderrSoFar)
    }

    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public let stderr: String
        public var description: String { "peergate serve did not write ports.json:\n\(stderr)" }
    }
}
