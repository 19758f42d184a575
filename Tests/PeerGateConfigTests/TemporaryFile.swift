import Foundation

/// A file with the given text in a fresh temporary directory, removed by `remove()`.
struct TemporaryFile {
    let path: String

    init(_ text: String, name: String = "peergate.yaml") throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "peergate-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appending(path: name).path(percentEncoded: false)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}

/// The repository's top-level directory (these tests live in Tests/PeerGateConfigTests/).
let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
