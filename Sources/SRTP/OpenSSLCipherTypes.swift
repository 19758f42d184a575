import COpenSSL
import CSRTP
import Glibc

/// libsrtp's AES and HMAC-SHA1 on OpenSSL 3. Debian's libsrtp2 does its cryptography
/// through NSS, which re-creates a PKCS #11 context and takes locks for every packet: in a
/// fan-out profile NSS was a quarter of the sender's CPU, and its AES-CM + HMAC-SHA1 ran
/// 4.6 times slower than its AES-GCM. libsrtp lets an application replace the
/// implementation behind a cipher or authentication type id (`srtp_replace_cipher_type`,
/// `srtp_replace_auth_type`); each replacement must first pass the library's own test
/// vectors for that type and its own (the same vectors here), so a wrong implementation
/// is refused before any packet uses it. The SRTP logic (packet index, IV, replay, key
/// derivation) stays libsrtp's; only the block operations move.
enum OpenSSLCipherTypes {
    /// Replaces GCM (128, 256), ICM (128, 256) and HMAC-SHA1; call once, after `srtp_init`
    /// and before any session. The first failure's status, or `srtp_err_status_ok`.
    static func install() -> srtp_err_status_t {
        let ciphers: [(UnsafeMutablePointer<srtp_cipher_type_t>, Int32)] = [
            (OpenSSLAESGCM.aes128, SRTP_AES_GCM_128), (OpenSSLAESGCM.aes256, SRTP_AES_GCM_256),
            (OpenSSLAESICM.aes128, SRTP_AES_ICM_128), (OpenSSLAESICM.aes256, SRTP_AES_ICM_256),
        ]
        for (type, id) in ciphers {
            let status = srtp_replace_cipher_type(type, srtp_cipher_type_id_t(id))
            guard status == srtp_err_status_ok else { return status }
        }
        return srtp_replace_auth_type(OpenSSLHMACSHA1.type, srtp_auth_type_id_t(SRTP_HMAC_SHA1))
    }

    /// A C string that lives as long as the process (a type's description).
    static func description(_ text: String) -> UnsafePointer<CChar> { UnsafePointer(strdup(text)!) }
}
