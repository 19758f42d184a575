import Foundation
import Gateway
import Testing

@Suite struct ListenerPortsTests {
    @Test func portsAreWrittenAsOneJSONObjectAndRemoved() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "peergate-ports-\(UUID().uuidString)").path(percentEncoded: false)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ports = ListenerPorts(dataDir: directory, expected: ["http", "turn"])
        try ports.record("http", port: 8080)
        // Not before every expected listener is bound: a reader would miss a port.
        #expect(!FileManager.default.fileExists(atPath: ports.filePath))
        try ports.record("turn", port: 3478)
        let data = try #require(FileManager.default.contents(atPath: ports.filePath))
        #expect(String(decoding: data, as: UTF8.self) == #"{"http":8080,"turn":3478}"#)
        ports.removeFile()
        #expect(!FileManager.default.fileExists(atPath: ports.filePath))
    }
}
