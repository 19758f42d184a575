import CSRTP
import Foundation
import PeerGateTestSupport
import Testing

@testable import SRTP

/// The OpenSSL implementations behind libsrtp's AES-GCM, AES-ICM and HMAC-SHA1: each passes
/// the library's own test vectors, and sessions built on them produce exactly the bytes an
/// independent libsrtp build (pylibsrtp, Tests/Peers/srtp_vectors.py) produces for the
/// same master key, and open what it protects.
@Suite struct OpenSSLCipherTypesTests {
    @Test func everyReplacementPassesTheLibraryTestVectors() {
        for type in [OpenSSLAESGCM.aes128, OpenSSLAESGCM.aes256, OpenSSLAESICM.aes128, OpenSSLAESICM.aes256] {
            #expect(srtp_cipher_type_self_test(type) == srtp_err_status_ok, "\(String(cString: type.pointee.description))")
        }
        #expect(srtp_auth_type_self_test(OpenSSLHMACSHA1.type) == srtp_err_status_ok)
    }

    @Test func sessionsUseOpenSSLUnlessLibsrtpIsChosen() {
        // The test process does not set PEERGATE_SRTP_CRYPTO.
        #expect(SRTPCrypto.selected == .openSSL)
    }

    @Test(arguments: [(SRTPProfile.aeadAES128GCM, "aead-aes128-gcm"), (.aes128CMHMACSHA1_80, "aes128-cm-hmac-sha1-80")])
    func packetsMatchAnIndependentLibsrtp(profile: SRTPProfile, name: String) async throws {
        let masterKey = (0..<(profile.keyLength + profile.saltLength)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let run = try await PythonPeers.run("srtp_vectors.py", [name, masterKey.map { String(format: "%02x", $0) }.joined()], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.checks.count == 9, "\(run.stderr)")
        let keys = SRTPKeyingMaterial(profile: profile, localMasterKey: masterKey, remoteMasterKey: masterKey)
        let sender = try SRTPSession(keys: keys)
        let receiver = try SRTPSession(keys: keys)
        for check in run.checks {
            let fields = check.detail.split(separator: " ")
            try #require(fields.count == 3)
            let plain = try #require(Self.bytes(fields[1]))
            let theirs = try #require(Self.bytes(fields[2]))
            var ours = plain
            var opened = theirs
            if fields[0] == "rtcp" {
                try sender.protectRTCP(&ours)
                try receiver.unprotectRTCP(&opened)
            } else {
                try sender.protectRTP(&ours)
                try receiver.unprotectRTP(&opened)
            }
            #expect(ours == theirs, "\(fields[0]) of \(plain.count) bytes")
            #expect(opened == plain, "\(fields[0]) of \(plain.count) bytes")
        }
    }

    static func bytes(_ hex: Substring) -> [UInt8]? {
        guard hex.count.isMultiple(of: 2) else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
