import DTLS
import Foundation
import Testing

/// The DTLS certificate: ECDSA P-256, self-signed, and a fingerprint that the openssl
/// command line computes the same way.
@Suite struct DTLSCertificateTests {
    /// Runs `openssl` with `input` on stdin and returns its standard output.
    static func openssl(_ arguments: [String], input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    @Test func fingerprintMatchesTheOpenSSLCommandLine() throws {
        let certificate = try DTLSCertificate()
        let output = try Self.openssl(["x509", "-noout", "-fingerprint", "-sha256"], input: certificate.pem)
        // "sha256 Fingerprint=AB:CD:…"
        let reported = output.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(reported == certificate.fingerprint.hex)
        #expect(certificate.fingerprint.algorithm == "sha-256")
        #expect(certificate.fingerprint.bytes.count == 32)
    }

    @Test func certificateIsSelfSignedECDSAOnP256() throws {
        let certificate = try DTLSCertificate(commonName: "peergate-test")
        let text = try Self.openssl(["x509", "-noout", "-text"], input: certificate.pem)
        #expect(text.contains("ecdsa-with-SHA256"))
        #expect(text.contains("prime256v1") || text.contains("P-256"))
        #expect(text.contains("Issuer: CN = peergate-test"))
        #expect(text.contains("Subject: CN = peergate-test"))
    }

    @Test func eachCertificateHasItsOwnKeyAndTheSharedOneIsStable() throws {
        #expect(try DTLSCertificate().fingerprint != DTLSCertificate().fingerprint)
        #expect(try DTLSCertificate.make() === DTLSCertificate.make())
    }
}
