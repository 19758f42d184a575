import COpenSSL

/// A self-signed ECDSA P-256 certificate and its key, as WebRTC endpoints use for DTLS
/// (RFC 8827 §6.5: self-signed, authenticated by the fingerprint in SDP). ``shared`` is
/// made once per process.
///
/// `@unchecked Sendable`: the key and certificate are never modified after `init`, and
/// OpenSSL's reference-counted objects may be used read-only from several threads.
public final class DTLSCertificate: @unchecked Sendable {
    let key: OpaquePointer
    let certificate: OpaquePointer
    /// The `SSL_CTX` of this certificate, shared by its endpoints (each holds a reference).
    let context: OpaquePointer
    /// The SHA-256 fingerprint that goes into `a=fingerprint`.
    public let fingerprint: DTLSFingerprint

    /// The process-wide certificate (nil only if OpenSSL cannot make a key, which ``make()``
    /// reports as an error).
    public static let shared: Result<DTLSCertificate, DTLSError> = Result { () throws(DTLSError) in try DTLSCertificate(validityDays: 30) }

    /// The process-wide certificate, or why it could not be made.
    public static func make() throws(DTLSError) -> DTLSCertificate { try shared.get() }

    /// Generates a new key pair and a certificate valid from a day ago for `validityDays`.
    public init(validityDays: Int = 30, commonName: String = "peergate") throws(DTLSError) {
        key = try Self.generateKey()
        guard let certificate = X509_new() else {
            EVP_PKEY_free(key)
            throw .setup(OpenSSLErrorQueue.drain(fallback: "X509_new failed"))
        }
        self.certificate = certificate
        var serial = [UInt8](repeating: 0, count: 8)
        RAND_bytes(&serial, Int32(serial.count))
        let serialValue = serial.reduce(0) { $0 << 8 | Int($1) } & 0x7FFF_FFFF_FFFF_FFFF
        let name = X509_get_subject_name(certificate)
        let signed =
            X509_set_version(certificate, 2) == 1
            && ASN1_INTEGER_set_int64(X509_get_serialNumber(certificate), Int64(serialValue)) == 1
            && X509_gmtime_adj(X509_getm_notBefore(certificate), -86_400) != nil
            && X509_gmtime_adj(X509_getm_notAfter(certificate), validityDays * 86_400) != nil
            && X509_set_pubkey(certificate, key) == 1
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1
            && X509_set_issuer_name(certificate, name) == 1
            && X509_sign(certificate, key, EVP_sha256()) > 0
        guard signed else {
            X509_free(certificate)
            EVP_PKEY_free(key)
            throw .setup(OpenSSLErrorQueue.drain(fallback: "could not sign the DTLS certificate"))
        }
        do {
            fingerprint = try DTLSFingerprint.of(certificate, algorithm: "sha-256")
            context = try DTLSContextFactory.make(key: key, certificate: certificate)
        } catch {
            X509_free(certificate)
            EVP_PKEY_free(key)
            throw error
        }
    }

    deinit {
        SSL_CTX_free(context)
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// An EC key on P-256 (secp256r1), the curve browsers use for DTLS certificates.
    private static func generateKey() throws(DTLSError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .setup(OpenSSLErrorQueue.drain(fallback: "no EC key support"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
            EVP_PKEY_generate(context, &key) == 1, let key
        else { throw .setup(OpenSSLErrorQueue.drain(fallback: "could not generate a P-256 key")) }
        return key
    }

    /// The certificate in PEM form (for logs and for peers that want to pin it).
    public var pem: String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard PEM_write_bio_X509(bio, certificate) == 1 else { return "" }
        var bytes = [UInt8](repeating: 0, count: Int(peergate_bio_pending(bio)))
        let read = BIO_read(bio, &bytes, Int32(bytes.count))
        return String(decoding: bytes.prefix(max(0, Int(read))), as: UTF8.self)
    }
}
