import COpenSSL
import CSRTP

/// AES-GCM for libsrtp's AEAD profiles (RFC 7714) on OpenSSL's EVP interface, replacing the
/// NSS implementation Debian's libsrtp2 is built with (see ``OpenSSLCipherTypes``). The key
/// is expanded once per session (`init`); each packet only sets its IV (RFC 7714 §8.1, which
/// libsrtp computes from the salt, SSRC and packet index), its associated data (the RTP
/// header, §8.2) and runs the cipher. The salt stays with libsrtp.
enum OpenSSLAESGCM {
    /// One cipher instance's state (`srtp_cipher_t.state`).
    struct State: EVPCipherState {
        let context: OpaquePointer
        let keySize: Int32
        let tagLength: Int32
    }

    /// The cipher types for 128- and 256-bit keys (their addresses are libsrtp's type ids
    /// for instances: they live as long as the process).
    /// Written once when first used, read-only after (libsrtp keeps the addresses).
    nonisolated(unsafe) static let aes128 = makeType(id: UInt32(SRTP_AES_GCM_128), reference: srtp_aes_gcm_128)
    nonisolated(unsafe) static let aes256 = makeType(id: UInt32(SRTP_AES_GCM_256), reference: srtp_aes_gcm_256)

    private static func makeType(id: srtp_cipher_type_id_t, reference: srtp_cipher_type_t) -> UnsafeMutablePointer<srtp_cipher_type_t> {
        let type = UnsafeMutablePointer<srtp_cipher_type_t>.allocate(capacity: 1)
        type.initialize(
            to: srtp_cipher_type_t(
                alloc: { OpenSSLAESGCM.allocate($0, keyLength: $1, tagLength: $2) },
                dealloc: { OpenSSLCipherInstance.release($0, as: OpenSSLAESGCM.State.self) },
                init: { OpenSSLAESGCM.setKey($0, $1) },
                set_aad: { OpenSSLAESGCM.addAssociatedData($0, $1, $2) },
                encrypt: { OpenSSLAESGCM.encrypt($0, $1, $2) },
                decrypt: { OpenSSLAESGCM.decrypt($0, $1, $2) },
                set_iv: { OpenSSLAESGCM.setIV($0, $1, $2) },
                get_tag: { OpenSSLAESGCM.tag($0, $1, $2) },
                description: OpenSSLCipherTypes.description("AES-GCM (OpenSSL EVP)"),
                test_data: reference.test_data,
                id: id))
        return type
    }

    /// `key_len` counts the 12-byte salt (RFC 7714 §12): 28 or 44; tags are 8 or 16 bytes.
    private static func allocate(_ result: UnsafeMutablePointer<srtp_cipher_pointer_t?>?, keyLength: Int32, tagLength: Int32) -> srtp_err_status_t {
        guard let result else { return srtp_err_status_bad_param }
        let keySize: Int32
        switch keyLength {
        case Int32(SRTP_AES_GCM_128_KEY_LEN_WSALT): keySize = 16
        case Int32(SRTP_AES_GCM_256_KEY_LEN_WSALT): keySize = 32
        default: return srtp_err_status_bad_param
        }
        guard tagLength == 8 || tagLength == 16 else { return srtp_err_status_bad_param }
        guard let context = EVP_CIPHER_CTX_new() else { return srtp_err_status_alloc_fail }
        return OpenSSLCipherInstance.make(
            State(context: context, keySize: keySize, tagLength: tagLength), type: keySize == 16 ? aes128 : aes256, keyLength: keyLength,
            algorithm: keySize == 16 ? SRTP_AES_GCM_128 : SRTP_AES_GCM_256, into: result)
    }

    private static func state(_ raw: UnsafeMutableRawPointer?) -> State? { raw?.assumingMemoryBound(to: State.self).pointee }

    /// Expands the key (the first 16 or 32 bytes; the salt after it is libsrtp's).
    private static func setKey(_ raw: UnsafeMutableRawPointer?, _ key: UnsafePointer<UInt8>?) -> srtp_err_status_t {
        guard let state = state(raw), let key else { return srtp_err_status_bad_param }
        let cipher = state.keySize == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm()
        return EVP_CipherInit_ex(state.context, cipher, nil, key, nil, 1) == 1 ? srtp_err_status_ok : srtp_err_status_init_fail
    }

    /// The 12-byte IV for the next packet, and its direction (the key stays).
    private static func setIV(_ raw: UnsafeMutableRawPointer?, _ iv: UnsafeMutablePointer<UInt8>?, _ direction: srtp_cipher_direction_t) -> srtp_err_status_t {
        guard let state = state(raw), let iv else { return srtp_err_status_bad_param }
        guard direction == srtp_direction_encrypt || direction == srtp_direction_decrypt else { return srtp_err_status_bad_param }
        let encrypting: Int32 = direction == srtp_direction_encrypt ? 1 : 0
        return EVP_CipherInit_ex(state.context, nil, nil, nil, iv, encrypting) == 1 ? srtp_err_status_ok : srtp_err_status_init_fail
    }

    private static func addAssociatedData(_ raw: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: UInt32) -> srtp_err_status_t {
        guard let state = state(raw), let data else { return srtp_err_status_bad_param }
        var written: Int32 = 0
        return EVP_CipherUpdate(state.context, nil, &written, data, Int32(length)) == 1 ? srtp_err_status_ok : srtp_err_status_algo_fail
    }

    /// Encrypts in place; the tag follows from ``tag(_:_:_:)``.
    private static func encrypt(_ raw: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> srtp_err_status_t {
        guard let state = state(raw), let buffer, let length else { return srtp_err_status_bad_param }
        var written: Int32 = 0
        return EVP_CipherUpdate(state.context, buffer, &written, buffer, Int32(length.pointee)) == 1 ? srtp_err_status_ok : srtp_err_status_cipher_fail
    }

    /// Finishes an encryption and writes its tag at `output` (RFC 7714 §7.1).
    private static func tag(_ raw: UnsafeMutableRawPointer?, _ output: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> srtp_err_status_t {
        guard let state = state(raw), let output, let length else { return srtp_err_status_bad_param }
        var written: Int32 = 0
        guard EVP_CipherFinal_ex(state.context, output, &written) == 1,
            EVP_CIPHER_CTX_ctrl(state.context, EVP_CTRL_GCM_GET_TAG, state.tagLength, output) == 1
        else { return srtp_err_status_algo_fail }
        length.pointee = UInt32(state.tagLength)
        return srtp_err_status_ok
    }

    /// Decrypts in place a ciphertext followed by its tag; a tag that does not match is an
    /// authentication failure (RFC 7714 §7.2). The length loses the tag.
    private static func decrypt(_ raw: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> srtp_err_status_t {
        guard let state = state(raw), let buffer, let length else { return srtp_err_status_bad_param }
        let tagLength = state.tagLength
        guard Int64(length.pointee) >= Int64(tagLength) else { return srtp_err_status_bad_param }
        let textLength = Int32(length.pointee) - tagLength
        guard EVP_CIPHER_CTX_ctrl(state.context, EVP_CTRL_GCM_SET_TAG, tagLength, buffer + Int(textLength)) == 1 else { return srtp_err_status_algo_fail }
        var written: Int32 = 0
        guard EVP_CipherUpdate(state.context, buffer, &written, buffer, textLength) == 1 else { return srtp_err_status_cipher_fail }
        guard EVP_CipherFinal_ex(state.context, buffer + Int(textLength), &written) == 1 else { return srtp_err_status_auth_fail }
        length.pointee = UInt32(textLength)
        return srtp_err_status_ok
    }
}
