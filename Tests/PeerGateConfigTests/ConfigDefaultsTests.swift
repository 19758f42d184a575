import BundledFiles
import Foundation
import PeerGateConfig
import Testing

@Suite struct ConfigDefaultsTests {
    @Test func defaultsAreTheDocumentedValues() throws {
        let config = try ConfigLoader.load()
        #expect(config.http.host == "127.0.0.1")
        #expect(config.http.port == 8080)
        #expect(config.http.publicURL == nil)
        #expect(config.http.tls == nil)
        #expect(config.storage.dataDir == "./data")
        #expect(config.log.level == .info)
        #expect(config.log.format == .text)
        #expect(config.auth.region == "us-east-1")
        #expect(config.auth.accountId == "000000000000")
        #expect(config.auth.credentials.isEmpty)
        #expect(config.turn.port == 3478)
        #expect(config.turn.tlsPort == 5349)
        #expect(config.turn.relayPorts == 20000...20999)
        #expect(config.turn.secret == nil)
        #expect(config.turn.allowLoopbackPeers == false)
        #expect(config.turn.allowedPeers.isEmpty)
        #expect(config.recording.segmentSeconds == 60)
        #expect(config.recording.fsync == .fragment)
        #expect(config.publishers.isEmpty)
        #expect(config.recorders.isEmpty)
    }

    @Test func theRepositoryConfigFileIsTheEmbeddedDefaults() throws {
        let path = packageRoot.appending(path: "Config/peergate.yaml").path(percentEncoded: false)
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk == BundledFiles.defaultConfigYAML)
        #expect(try ConfigLoader.load(filePath: path) == ConfigLoader.load())
    }

    @Test func everyDefaultKeyHasAOneLineComment() throws {
        let lines = BundledFiles.defaultConfigYAML.split(separator: "\n")
        let settingLines = lines.filter { line in
            !line.hasPrefix("#") && line.contains(":") && !line.trimmingCharacters(in: .whitespaces).hasSuffix(":")
        }
        #expect(!settingLines.isEmpty)
        for line in settingLines {
            #expect(line.contains(" # "), "no comment on: \(line)")
        }
    }
}
