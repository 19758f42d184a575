import Foundation

/// A self-signed ECDSA P-256 certificate for 127.0.0.1 and localhost, made with the
/// `openssl` command line (installed by `make test`).
public struct SelfSignedCertificate: Sendable {
    public let certificateFile: String
    public let keyFile: String

    public init(in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        certificateFile = directory + "/cert.pem"
        keyFile = directory + "/key.pem"
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", keyFile, "-out", certificateFile,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonPeers.MissingEnvironment(description: "openssl could not make a certificate (status \(process.terminationStatus))")
        }
    }
}
