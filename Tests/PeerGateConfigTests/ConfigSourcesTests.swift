import Foundation
import PeerGateConfig
import Testing

@Suite struct ConfigSourcesTests {
    @Test func fileMergesOverDefaults() throws {
        let file = try TemporaryFile("""
            http:
              port: 9000
              publicURL: https://gw.example.com:443/
            auth:
              credentials:
                - accessKeyId: AKIDEXAMPLE00001
                  secretAccessKey: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
            publishers:
              - channel: cam-1
                source: rtsp://10.0.0.5/stream
                rtspTransport: udp
                keyframeResendSeconds: 0
            """)
        defer { file.remove() }
        let config = try ConfigLoader.load(filePath: file.path)
        #expect(config.http.port == 9000)
        #expect(config.http.host == "127.0.0.1")
        #expect(config.http.publicURL == "https://gw.example.com")
        #expect(config.auth.credentials == [.init(accessKeyId: "AKIDEXAMPLE00001", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))])
        #expect(config.publishers.count == 1)
        #expect(config.publishers[0].rtspTransport == .udp)
        #expect(config.publishers[0].loop == false)
        #expect(config.publishers[0].onDemand == true)
        #expect(config.publishers[0].keyframeResendSeconds == 0)
    }

    @Test func environmentOverridesFileAndSetOverridesEnvironment() throws {
        let file = try TemporaryFile("http:\n  port: 9000\nlog:\n  level: debug\n")
        defer { file.remove() }
        let environment = [
            "PEERGATE_HTTP_PORT": "8081",
            "PEERGATE_HTTP_PUBLIC_URL": "http://gw.example.com:80",
            "PEERGATE_TURN_ALLOW_LOOPBACK_PEERS": "true",
            "PEERGATE_TURN_ALLOWED_PEERS": "10.0.0.0/8,fd00::/8",
            "PEERGATE_LOG_LEVEL": "warning",
            "HOME": "/root",
        ]
        let fromEnvironment = try ConfigLoader.load(filePath: file.path, environment: environment)
        #expect(fromEnvironment.http.port == 8081)
        #expect(fromEnvironment.http.publicURL == "http://gw.example.com")
        #expect(fromEnvironment.turn.allowLoopbackPeers)
        #expect(fromEnvironment.turn.allowedPeers == ["10.0.0.0/8", "fd00::/8"])
        #expect(fromEnvironment.log.level == .warning)

        let fromFlags = try ConfigLoader.load(
            filePath: file.path, environment: environment, overrides: ["http.port=0", "turn.allowedPeers=[192.168.0.0/16]"])
        #expect(fromFlags.http.port == 0)
        #expect(fromFlags.turn.allowedPeers == ["192.168.0.0/16"])
        #expect(fromFlags.log.level == .warning)
    }

    @Test func listElementsComeFromTheEnvironmentByIndex() throws {
        let config = try ConfigLoader.load(environment: [
            "PEERGATE_AUTH_CREDENTIALS_0_ACCESS_KEY_ID": "AKIDEXAMPLE00001",
            "PEERGATE_AUTH_CREDENTIALS_0_SECRET_ACCESS_KEY": "0123456789abcdef0123",
            "PEERGATE_RECORDERS_0_CHANNEL": "front-door",
            "PEERGATE_RECORDERS_0_ROLE": "master",
        ])
        #expect(config.auth.credentials.map(\.accessKeyId) == ["AKIDEXAMPLE00001"])
        #expect(config.auth.credentials.first?.secretAccessKey.value == "0123456789abcdef0123")
        #expect(config.recorders == [.init(channel: "front-door", role: .master)])
    }

    @Test func effectiveConfigurationRoundTripsAndMasksSecrets() throws {
        let config = try ConfigLoader.load(overrides: [
            "auth.credentials.0.accessKeyId=AKIDEXAMPLE00001",
            "auth.credentials.0.secretAccessKey=super-secret-value-1",
            "turn.secret=another-secret-value-2",
            "recorders.0.channel=cam",
        ])
        let masked = config.yaml()
        #expect(!masked.contains("super-secret-value-1"))
        #expect(!masked.contains("another-secret-value-2"))
        #expect(masked.contains("secretAccessKey: '****'") || masked.contains("secretAccessKey: \"****\""))

        let file = try TemporaryFile(config.yaml(revealSecrets: true))
        defer { file.remove() }
        #expect(try ConfigLoader.load(filePath: file.path) == config)
    }

    @Test func secretsNeverAppearInDescriptions() {
        let key = PeerGateConfig.AccessKey(accessKeyId: "AKIDEXAMPLE00001", secretAccessKey: Secret("do-not-print-this"))
        #expect(!"\(key)".contains("do-not-print-this"))
    }
}
