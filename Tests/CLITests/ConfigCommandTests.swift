import Foundation
import PeerGateTestSupport
import Testing

@Suite struct ConfigCommandTests {
    @Test func checkPrintsTheEffectiveConfigurationWithSecretsMasked() async throws {
        let result = try await PeergateProcess.run(
            ["config", "check", "--set", "auth.credentials.0.accessKeyId=AKIDEXAMPLE00001", "--http-port", "9999"],
            environment: ["PEERGATE_AUTH_CREDENTIALS_0_SECRET_ACCESS_KEY": "a-very-secret-secret-key", "PEERGATE_LOG_LEVEL": "debug"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("port: 9999"))
        #expect(result.stdout.contains("level: debug"))
        #expect(result.stdout.contains("AKIDEXAMPLE00001"))
        #expect(!result.stdout.contains("a-very-secret-secret-key"))
        #expect(result.stdout.contains("****"))
    }

    @Test func invalidValueExitsWithStatus2NamingTheKey() async throws {
        let result = try await PeergateProcess.run(["config", "check", "--set", "turn.relayPorts=9-1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("turn.relayPorts"))
    }

    @Test func unknownKeyInTheFileStopsServeWithStatus2() async throws {
        let directory = temporaryPath("peergate-cli")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/bad.yaml"
        try "http:\n  port: 0\nrecordng:\n  fsync: off\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PeergateProcess.run(["serve", "--config", file, "--data-dir", directory + "/data"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("recordng.fsync"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/data"))
    }

    @Test func unknownEnvironmentVariableStopsServeWithStatus2() async throws {
        let result = try await PeergateProcess.run(["serve", "--http-port", "0"], environment: ["PEERGATE_HTTP_PROT": "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PEERGATE_HTTP_PROT"))
    }

    @Test func missingConfigFileExitsWithStatus2() async throws {
        let result = try await PeergateProcess.run(["config", "check", "--config", "/nonexistent/peergate.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/peergate.yaml"))
    }
}
