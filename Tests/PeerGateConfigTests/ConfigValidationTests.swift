import Foundation
import PeerGateConfig
import Testing

@Suite struct ConfigValidationTests {
    /// The problems a load reports, as (key, message).
    private func problems(
        file: String? = nil, environment: [String: String] = [:], overrides: [String] = []
    ) throws -> [ConfigurationError.Problem] {
        let temporary = try file.map { try TemporaryFile($0) }
        defer { temporary?.remove() }
        do {
            _ = try ConfigLoader.load(filePath: temporary?.path, environment: environment, overrides: overrides)
            return []
        } catch {
            return error.problems
        }
    }

    @Test(arguments: [
        ("http.port=abc", "http.port"),
        ("http.port=70000", "http.port"),
        ("http.host=not a host", "http.host"),
        ("http.publicURL=ftp://example.com", "http.publicURL"),
        ("http.publicURL=https://example.com/path", "http.publicURL"),
        ("http.maxBodyBytes=10", "http.maxBodyBytes"),
        ("http.tls.certificateFile=/nonexistent/cert.pem", "http.tls.certificateFile"),
        ("log.level=loud", "log.level"),
        ("log.format=xml", "log.format"),
        ("auth.region=US_EAST", "auth.region"),
        ("auth.accountId=123", "auth.accountId"),
        ("turn.relayPorts=30000-20000", "turn.relayPorts"),
        ("turn.relayPorts=80-90", "turn.relayPorts"),
        ("turn.secret=short", "turn.secret"),
        ("turn.allowLoopbackPeers=maybe", "turn.allowLoopbackPeers"),
        ("recording.fsync=sometimes", "recording.fsync"),
        ("recording.segmentSeconds=0", "recording.segmentSeconds"),
        ("storage.nope=1", "storage.nope"),
    ])
    func badValueIsRefusedNamingTheKey(override: String, key: String) throws {
        let found = try problems(overrides: [override])
        #expect(found.map(\.key) == [key], "\(found)")
    }

    @Test func unknownFileKeyIsNamedWithItsLine() throws {
        let found = try problems(file: "http:\n  port: 8080\n  prot: 1\n")
        #expect(found.map(\.key) == ["http.prot"])
        #expect(found.first?.message.contains("line 3") == true)
    }

    @Test func unknownEnvironmentVariableIsNamed() throws {
        let found = try problems(environment: ["PEERGATE_HTTP_PROT": "1", "PATH": "/bin"])
        #expect(found.map(\.key) == ["PEERGATE_HTTP_PROT"])
    }

    @Test func processVariablesAreNoConfigurationKeys() throws {
        let found = try problems(environment: ["PEERGATE_SRTP_CRYPTO": "libsrtp", "PEERGATE_FUZZ_TARGET": "sdp"])
        #expect(found.isEmpty, "\(found.map(\.key))")
    }

    @Test func valueFromEnvironmentNamesTheVariable() throws {
        let found = try problems(environment: ["PEERGATE_HTTP_PORT": "eighty"])
        #expect(found.map(\.key) == ["http.port"])
        #expect(found.first?.message.contains("PEERGATE_HTTP_PORT") == true)
    }

    @Test func listWhereAValueBelongsIsRefused() throws {
        let found = try problems(file: "http:\n  port: [1, 2]\n")
        #expect(found.map(\.key) == ["http.port"])
    }

    @Test func listElementsNeedTheirRequiredFields() throws {
        let found = try problems(file: """
            auth:
              credentials:
                - accessKeyId: AKIDEXAMPLE00001
            publishers:
              - channel: "bad name!"
                source: /tmp/a.mp4
                colour: blue
            """)
        #expect(Set(found.map(\.key)) == ["auth.credentials[0].secretAccessKey", "publishers[0].channel", "publishers[0].colour"])
    }

    @Test func tlsNeedsBothFiles() throws {
        let certificate = try TemporaryFile("not checked here", name: "cert.pem")
        defer { certificate.remove() }
        let found = try problems(overrides: ["http.tls.certificateFile=\(certificate.path)"])
        #expect(found.map(\.key) == ["http.tls"])
    }

    @Test func duplicatePublisherChannelsAreRefused() throws {
        let found = try problems(file: """
            publishers:
              - {channel: cam, source: /a.mp4}
              - {channel: cam, source: /b.mp4}
            """)
        #expect(found.map(\.key) == ["publishers[1]"])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let found = try problems(file: "http:\n  port: -1\nlog:\n  level: loud\n", environment: ["PEERGATE_X": "1"])
        #expect(found.count == 3)
        let error = ConfigurationError(problems: found)
        #expect(error.description.contains("http.port"))
        #expect(error.description.contains("log.level"))
        #expect(error.description.contains("PEERGATE_X"))
    }

    @Test func malformedYAMLIsRefused() throws {
        let found = try problems(file: "http: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("YAML") == true)
    }
}
