import Foundation

/// Runs the Python test peers of `Tests/Peers` (boto3, the AWS CLI, websockets, aiortc …)
/// with the interpreter of `.venv-test`, which `make test` creates. Each script prints one
/// JSON line per check: `{"check": name, "ok": bool, "detail": text}`.
public enum PythonPeers {
    public struct Check: Sendable, CustomStringConvertible {
        public let name: String
        public let ok: Bool
        public let detail: String
        public var description: String { "\(ok ? "ok" : "FAILED") \(name) \(detail)" }
    }

    public struct Run: Sendable {
        public let status: Int32
        public let checks: [Check]
        public let stderr: String

        /// The checks that failed, for test messages.
        public var failures: [Check] { checks.filter { !$0.ok } }
    }

    public struct MissingEnvironment: Error, CustomStringConvertible {
        public let description: String
    }

    /// The test peers' interpreter; a missing one is an error telling how to create it.
    public static func interpreter() throws -> String {
        let python = packageRoot.appending(path: ".venv-test/bin/python").path(percentEncoded: false)
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingEnvironment(description: "\(python) is missing: run `make test` (it creates .venv-test from Tests/Peers/requirements.txt)")
        }
        return python
    }

    /// Runs `Tests/Peers/<script> arguments…` and collects its checks. With
    /// `isolatedNetwork` it runs in a network namespace of its own (`unshare -n`) whose only
    /// interface is `lo`, so a browser gathers loopback candidates and nothing else.
    public static func run(_ script: String, _ arguments: [String], timeout: Duration = .seconds(300), isolatedNetwork: Bool = false) async throws -> Run {
        let process = Process()
        let peers = packageRoot.appending(path: "Tests/Peers")
        let command = [try interpreter(), peers.appending(path: script).path(percentEncoded: false)] + arguments
        if isolatedNetwork {
            process.executableURL = URL(filePath: "/usr/bin/unshare")
            process.arguments = ["--net", "--", "/bin/sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""] + command
        } else {
            process.executableURL = URL(filePath: command[0])
            process.arguments = Array(command.dropFirst())
        }
        process.currentDirectoryURL = peers
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        environment["PATH"] = packageRoot.appending(path: ".venv-test/bin").path(percentEncoded: false) + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        async let outData = readToEnd(output.fileHandleForReading)
        async let errData = readToEnd(errors.fileHandleForReading)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let (out, err) = await (outData, errData)
        let checks = String(decoding: out, as: UTF8.self).split(separator: "\n").compactMap { line -> Check? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let name = object["check"] as? String, let ok = object["ok"] as? Bool
            else { return nil }
            return Check(name: name, ok: ok, detail: object["detail"] as? String ?? "")
        }
        return Run(status: process.terminationStatus, checks: checks, stderr: String(decoding: err, as: UTF8.self))
    }
}
