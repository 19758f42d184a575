import Foundation
import PeerGateTestSupport
import Testing

/// `peergate channels …` against a running server, finding it through ports.json and the
/// generated credentials of its data directory.
@Suite struct ChannelsCommandTests {
    @Test func createDescribeListDelete() async throws {
        let server = try await ServerProcess()
        let created = try await server.client(["channels", "create", "porch", "--message-ttl", "30", "--tag", "site=hq"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains(":channel/porch/"))
        let described = try await server.client(["channels", "describe", "porch"])
        #expect(described.status == 0)
        #expect(described.stdout.contains("\"MessageTtlSeconds\" : 30"))
        _ = try await server.client(["channels", "create", "garage"])
        let listed = try await server.client(["channels", "list", "--prefix", "po"])
        #expect(listed.stdout.contains("porch") && !listed.stdout.contains("garage"))
        let deleted = try await server.client(["channels", "delete", "porch"])
        #expect(deleted.status == 0)
        let missing = try await server.client(["channels", "describe", "porch"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("ResourceNotFoundException"))
        let refused = try await PeergateProcess.run(
            ["channels", "list", "--data-dir", server.dataDir, "--access-key-id", "AKIDWRONG0000000", "--secret-access-key", "wrong-wrong-wrong-wrong"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("AccessDeniedException"))
        try await server.stop()
    }

    @Test func badUsageExitsWithStatus2() async throws {
        let result = try await PeergateProcess.run(["channels", "create"])
        #expect(result.status == 2)
    }
}
