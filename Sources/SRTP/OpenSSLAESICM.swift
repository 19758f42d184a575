import COpenSSL
import CSRTP

/// AES in counter mode for libsrtp (RFC 3711 §4.1.1, the `AES_CM` profiles and the key
/// derivation of every profile, §4.3.3) on OpenSSL's EVP interface, replacing the NSS
/// implementation Debian's libsrtp2 is built with (see ``OpenSSLCipherTypes``). The key is
/// expanded once per session; each packet sets the counter: the session salt XOR the IV
/// libsrtp computes from SSRC and packet index, block counter in the low 16 bits (§4.1.1).
enum OpenSSLAESICM {
    /// One cipher instance's state (`srtp_cipher_t.state`).
    struct State: EVPCipherState {
        let context: OpaquePointer
        let keySize: Int32
        /// The 14-byte session salt, zero-padded to a block (RFC 3711 §4.1.1).
        var offset: (UInt64, UInt64) = (0, 0)
    }

    /// Written once when first used, read-only after (libsrtp keeps the addresses).
    nonisolated(unsafe) static let aes128 = makeType(id: UInt32(SRTP_AES_ICM_128), reference: srtp_aes_icm_128)
    nonisolated(unsafe) static let aes256 = makeType(id: UInt32(SRTP_AES_ICM_256), reference: srtp_aes_icm_256)

    private static func makeType(id: srtp_cipher_type_id_t, reference: srtp_cipher_type_t) -> UnsafeMutablePointer<srtp_cipher_type_t> {
        let type = UnsafeMutablePointer<srtp_cipher_type_t>.allocate(capacity: 1)
        type.initialize(
            to: srtp_cipher_type_t(
                alloc: { result, keyLength, _ in OpenSSLAESICM.allocate(result, keyLength: keyLength) },
                dealloc: { OpenSSLCipherInstance.release($0, as: OpenSSLAESICM.State.self) },
                init: { OpenSSLAESICM.setKey($0, $1) },
                set_aad: nil,
                encrypt: { OpenSSLAESICM.apply($0, $1, $2) },
                decrypt: { OpenSSLAESICM.apply($0, $1, $2) },
                set_iv: { state, iv, _ in OpenSSLAESICM.setIV(state, iv) },
                get_tag: nil,
                description: OpenSSLCipherTypes.description("AES-ICM (OpenSSL EVP)"),
                test_data: reference.test_data,
                id: id))
        return type
    }

    /// `key_len` counts the 14-byte salt: 30 or 46.
    private static func allocate(_ result: UnsafeMutablePointer<srtp_cipher_pointer_t?>?, keyLength: Int32) -> srtp_err_status_t {
        guard let result else { return srtp_err_status_bad_param }
        let keySize: Int32
        switch keyLength {
        case Int32(SRTP_AES_ICM_128_KEY_LEN_WSALT): keySize = 16
        case Int32(SRTP_AES_ICM_256_KEY_LEN_WSALT): keySize = 32
        default: return srtp_err_status_bad_param
        }
        guard let context = EVP_CIPHER_CTX_new() else { return srtp_err_status_alloc_fail }
        return OpenSSLCipherInstance.make(
            State(context: context, keySize: keySize), type: keySize == 16 ? aes128 : aes256, keyLength: keyLength,
            algorithm: keySize == 16 ? SRTP_AES_ICM_128 : SRTP_AES_ICM_256, into: result)
    }

    /// Expands the key and keeps the salt that follows it as the counter's offset.
    private static func setKey(_ raw: UnsafeMutableRawPointer?, _ key: UnsafePointer<UInt8>?) -> srtp_err_status_t {
        guard let state = raw?.assumingMemoryBound(to: State.self), let key else { return srtp_err_status_bad_param }
        var offset: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &offset) { $0.baseAddress!.copyMemory(from: key + Int(state.pointee.keySize), byteCount: 14) }
        state.pointee.offset = offset
        let cipher = state.pointee.keySize == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr()
        return EVP_EncryptInit_ex(state.pointee.context, cipher, nil, key, nil) == 1 ? srtp_err_status_ok : srtp_err_status_init_fail
    }

    /// The counter block for the next packet: offset XOR the 16-byte IV.
    private static func setIV(_ raw: UnsafeMutableRawPointer?, _ iv: UnsafeMutablePointer<UInt8>?) -> srtp_err_status_t {
        guard let state = raw?.assumingMemoryBound(to: State.self), let iv else { return srtp_err_status_bad_param }
        var counter = state.pointee.offset
        let nonce = UnsafeRawPointer(iv)
        counter.0 ^= nonce.loadUnaligned(as: UInt64.self)
        counter.1 ^= nonce.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let status = withUnsafeBytes(of: &counter) { block in
            EVP_EncryptInit_ex(state.pointee.context, nil, nil, nil, block.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return status == 1 ? srtp_err_status_ok : srtp_err_status_init_fail
    }

    /// XORs the key stream into the bytes in place (encryption and decryption alike).
    private static func apply(_ raw: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> srtp_err_status_t {
        guard let state = raw?.assumingMemoryBound(to: State.self), let buffer, let length else { return srtp_err_status_bad_param }
        var written: Int32 = 0
        return EVP_EncryptUpdate(state.pointee.context, buffer, &written, buffer, Int32(length.pointee)) == 1 ? srtp_err_status_ok : srtp_err_status_cipher_fail
    }
}
