import Foundation
import SigV4

/// A `peergate serve` child process on port 0 with a throw-away data directory, for
/// benchmarks that measure the server apart from its load generator.
public final class BenchServer: Sendable {
    public let process: Process
    public let dataDir: String
    public let url: String
    public let credentials: SigV4Credentials
    /// Every listener's port from `ports.json`.
    let ports: [String: Int]

    public var pid: Int32 { process.processIdentifier }
    var wssURL: String { url.replacingOccurrences(of: "http://", with: "ws://") }

    private init(process: Process, dataDir: String, url: String, credentials: SigV4Credentials, ports: [String: Int]) {
        self.process = process
        self.dataDir = dataDir
        self.url = url
        self.credentials = credentials
        self.ports = ports
    }

    /// Starts `peergate serve` on a new data directory (or on `dataDir`, which `stop` then removes).
    public static func start(executable: String, extraArguments: [String] = [], dataDir: String? = nil) async throws -> BenchServer {
        let dataDir = dataDir ?? FileManager.default.temporaryDirectory.appending(path: "peergate-bench-\(UUID().uuidString)").path(percentEncoded: false)
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = ["serve", "--http-port", "0", "--data-dir", dataDir, "--log-level", "warning", "--set", "turn.port=0"] + extraArguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PEERGATE_") }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: dataDir + "/ports.json"),
                let ports = try? JSONDecoder().decode([String: Int].self, from: data), let port = ports["http"],
                let text = try? String(contentsOfFile: dataDir + "/credentials", encoding: .utf8)
            {
                var values: [String: String] = [:]
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2 { values[parts[0]] = parts[1] }
                }
                let credentials = SigV4Credentials(accessKeyId: values["aws_access_key_id"] ?? "", secretAccessKey: values["aws_secret_access_key"] ?? "")
                guard ports["turn"] != nil else {
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                return BenchServer(process: process, dataDir: dataDir, url: "http://127.0.0.1:\(port)", credentials: credentials, ports: ports)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw BenchFailure(message: "peergate serve did not start")
    }

    public func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dataDir)
    }
}
