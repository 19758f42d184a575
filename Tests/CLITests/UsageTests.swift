import Foundation
import PeerGateTestSupport
import Testing

@Suite struct UsageTests {
    @Test func versionIsPrinted() async throws {
        let result = try await PeergateProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test(arguments: [["no-such-command"], ["serve", "--no-such-flag"], ["serve", "--http-port", "eighty"], ["config", "check", "--set"], ["config", "check", "extra"]])
    func badUsageExitsWithStatus2(arguments: [String]) async throws {
        let result = try await PeergateProcess.run(arguments)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func helpExitsWithStatus0() async throws {
        let result = try await PeergateProcess.run(["serve", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--config"))
    }
}
