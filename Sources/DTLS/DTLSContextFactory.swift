import COpenSSL

/// Makes the `SSL_CTX` of one endpoint: DTLS 1.2 only, the certificate and key, a
/// certificate requested from the peer and accepted whatever its issuer (it is
/// authenticated by its SDP fingerprint instead, RFC 8827 §6.5), and the SRTP profiles.
/// One context per certificate, shared by every endpoint that uses it (OpenSSL's `SSL_CTX`
/// is reference-counted and safe to share once configured).
enum DTLSContextFactory {
    static func make(key: OpaquePointer, certificate: OpaquePointer) throws(DTLSError) -> OpaquePointer {
        ERR_clear_error()
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw .setup(OpenSSLErrorQueue.drain(fallback: "SSL_CTX_new failed"))
        }
        let configured =
            peergate_ssl_ctx_set_min_proto_version(context, DTLS1_2_VERSION) == 1
            && peergate_ssl_ctx_set_max_proto_version(context, DTLS1_2_VERSION) == 1
            && SSL_CTX_use_certificate(context, certificate) == 1
            && SSL_CTX_use_PrivateKey(context, key) == 1
            && SSL_CTX_check_private_key(context) == 1
            // Returns 0 on success (RFC 5764 §4.1.2 profiles in preference order).
            && SSL_CTX_set_tlsext_use_srtp(context, DTLSSRTPKeys.profileList) == 0
        guard configured else {
            SSL_CTX_free(context)
            throw .setup(OpenSSLErrorQueue.drain(fallback: "could not configure the DTLS context"))
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
        // After the handshake a connection only reads an alert now and then: its record
        // buffers (≈ 34 KB) are freed between uses (memory per PeerConnection).
        _ = peergate_ssl_ctx_release_buffers(context)
        return context
    }
}
