import COpenSSL
import Testing

/// libcrypto and libssl link and work through the COpenSSL module.
@Suite struct OpenSSLSmokeTests {
    @Test func sha256OfAbcMatchesTheFIPS180Vector() {
        let message = Array("abc".utf8)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        #expect(EVP_Digest(message, message.count, &digest, &length, EVP_sha256(), nil) == 1)
        let hex = digest.prefix(Int(length)).map { String(format2: $0) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func dtlsContextTakesTheShimmedMacros() throws {
        let context = try #require(SSL_CTX_new(DTLS_method()))
        defer { SSL_CTX_free(context) }
        #expect(peergate_ssl_ctx_set_min_proto_version(context, DTLS1_2_VERSION) == 1)
        let ssl = try #require(SSL_new(context))
        defer { SSL_free(ssl) }
        #expect(peergate_ssl_set_mtu(ssl, 1200) == 1200)
        #expect(peergate_ssl_set_mtu(ssl, 10) == 0)  // below DTLS's minimum MTU
        var timeout = timeval()
        #expect(peergate_dtls_get_timeout(ssl, &timeout) == 0)  // no handshake, no timer
        #expect(peergate_ssl_get1_peer_certificate(ssl) == nil)
    }
}

extension String {
    init(format2 byte: UInt8) {
        let hex = String(byte, radix: 16)
        self = hex.count == 1 ? "0" + hex : hex
    }
}
