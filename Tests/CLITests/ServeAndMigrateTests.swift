import Foundation
import PeerGateTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct ServeAndMigrateTests {
    /// Waits until `<dataDir>/ports.json` exists and returns its object.
    private func waitForPorts(_ dataDir: String, _ running: PeergateProcess.Running) async throws -> [String: Int] {
        let path = dataDir + "/ports.json"
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: path), let ports = try? JSONDecoder().decode([String: Int].self, from: data) {
                return ports
            }
            #expect(running.process.isRunning, "serve exited early: \(running.stderrSoFar)")
            if !running.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeergateProcess.ProcessTimeout(arguments: ["serve (ports.json never appeared)"])
    }

    private func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func serveOnPort0AnswersHealthzWritesPortsAndStopsOnSIGTERM() async throws {
        let dataDir = temporaryPath("peergate-serve")
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let running = try PeergateProcess.start(["serve", "--http-port", "0", "--data-dir", dataDir, "--set", "log.format=json"])
        let ports = try await waitForPorts(dataDir, running)
        let port = try #require(ports["http"])
        #expect(port > 0)

        let (status, body) = try await get("http://127.0.0.1:\(port)/healthz")
        #expect(status == 200)
        #expect(body.contains(#""status":"ok""#))
        let (readyStatus, _) = try await get("http://127.0.0.1:\(port)/readyz")
        #expect(readyStatus == 200)
        let (metricsStatus, metrics) = try await get("http://127.0.0.1:\(port)/metrics")
        #expect(metricsStatus == 200)
        #expect(metrics.contains("peergate_build_info"))
        #expect(metrics.contains("peergate_signaling_connections 0"))

        running.signal(SIGTERM)
        let result = try await running.finish(timeout: .seconds(30))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/ports.json"))
        #expect(FileManager.default.fileExists(atPath: dataDir + "/peergate.sqlite"))

        // log.format=json: every line of standard error is one JSON object with level and message.
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["message"] is String, "not a JSON log line: \(line)")
        }
        #expect(lines.contains { $0.contains(#""message":"listening""#) && $0.contains("\(port)") })
    }

    @Test func serveStopsOnSIGINTToo() async throws {
        let dataDir = temporaryPath("peergate-serve")
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let running = try PeergateProcess.start(["serve", "--http-port", "0", "--data-dir", dataDir])
        _ = try await waitForPorts(dataDir, running)
        running.signal(SIGINT)
        let result = try await running.finish(timeout: .seconds(30))
        #expect(result.status == 0, "stderr: \(result.stderr)")
    }

    @Test func servePortAlreadyInUseExitsWithStatus1() async throws {
        let dataDir = temporaryPath("peergate-serve")
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let first = try PeergateProcess.start(["serve", "--http-port", "0", "--data-dir", dataDir])
        let port = try #require(try await waitForPorts(dataDir, first)["http"])
        let second = try await PeergateProcess.run(["serve", "--http-port", "\(port)", "--data-dir", dataDir + "-2"])
        try? FileManager.default.removeItem(atPath: dataDir + "-2")
        #expect(second.status == 1)
        #expect(second.stderr.lowercased().contains("address already in use"))
        first.signal(SIGTERM)
        _ = try await first.finish()
    }

    @Test func migrateCreatesTheDatabaseOnceAndRefusesANewerOne() async throws {
        let dataDir = temporaryPath("peergate-migrate")
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let first = try await PeergateProcess.run(["migrate", "--data-dir", dataDir])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("applied 0001_metadata"))
        let second = try await PeergateProcess.run(["migrate", "--data-dir", dataDir])
        #expect(second.status == 0)
        #expect(!second.stdout.contains("applied"))
        #expect(second.stdout.contains("schema up to date"))

        // Pretend a newer peergate applied a migration this build does not know.
        let sqlite = Process()
        sqlite.executableURL = URL(filePath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('9999_from_the_future')\"); c.commit()", dataDir + "/peergate.sqlite"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)

        let refused = try await PeergateProcess.run(["serve", "--http-port", "0", "--data-dir", dataDir])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("newer peergate"))
        #expect(refused.stderr.contains("9999_from_the_future"))
    }
}
