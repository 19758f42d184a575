import COpenSSL
import CSRTP

/// HMAC-SHA1, SRTP's default message authentication (RFC 3711 §4.2.1), on OpenSSL 3's
/// `EVP_MAC` interface, replacing the NSS implementation Debian's libsrtp2 is built with
/// (see ``OpenSSLCipherTypes``). The key is set once per session; each packet restarts
/// the MAC from the keyed state (`EVP_MAC_init` without a key).
enum OpenSSLHMACSHA1 {
    /// SHA-1's output: the longest tag (SRTP uses 80 or 32 bits of it).
    static let digestLength = 20

    /// OpenSSL's HMAC, fetched once.
    nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)

    nonisolated(unsafe) static let type: UnsafeMutablePointer<srtp_auth_type_t> = {
        let type = UnsafeMutablePointer<srtp_auth_type_t>.allocate(capacity: 1)
        type.initialize(
            to: srtp_auth_type_t(
                alloc: { OpenSSLHMACSHA1.allocate($0, keyLength: $1, tagLength: $2) },
                dealloc: { OpenSSLHMACSHA1.release($0) },
                init: { OpenSSLHMACSHA1.setKey($0, $1, $2) },
                compute: { OpenSSLHMACSHA1.finish($0, $1, $2, $3, $4) },
                update: { OpenSSLHMACSHA1.update($0, $1, $2) },
                start: { OpenSSLHMACSHA1.restart($0) },
                description: OpenSSLCipherTypes.description("HMAC-SHA1 (OpenSSL EVP_MAC)"),
                test_data: srtp_hmac.test_data,
                id: UInt32(SRTP_HMAC_SHA1)))
        return type
    }()

    private static func allocate(_ result: UnsafeMutablePointer<srtp_auth_pointer_t?>?, keyLength: Int32, tagLength: Int32) -> srtp_err_status_t {
        guard let result, (0...Int32(digestLength)).contains(keyLength), (0...Int32(digestLength)).contains(tagLength) else { return srtp_err_status_bad_param }
        guard let mac, let context = EVP_MAC_CTX_new(mac) else { return srtp_err_status_alloc_fail }
        let auth = UnsafeMutablePointer<srtp_auth_t>.allocate(capacity: 1)
        auth.initialize(
            to: srtp_auth_t(type: UnsafePointer(type), state: UnsafeMutableRawPointer(context), out_len: tagLength, key_len: keyLength, prefix_len: 0))
        result.pointee = auth
        return srtp_err_status_ok
    }

    private static func release(_ auth: srtp_auth_pointer_t?) -> srtp_err_status_t {
        guard let auth else { return srtp_err_status_bad_param }
        if let state = auth.pointee.state { EVP_MAC_CTX_free(OpaquePointer(state)) }
        auth.deallocate()
        return srtp_err_status_ok
    }

    private static func setKey(_ state: UnsafeMutableRawPointer?, _ key: UnsafePointer<UInt8>?, _ length: Int32) -> srtp_err_status_t {
        guard let state, let key else { return srtp_err_status_bad_param }
        let status = "digest".withCString { name in
            "SHA1".withCString { digest in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0), OSSL_PARAM_construct_end(),
                ]
                return EVP_MAC_init(OpaquePointer(state), key, Int(length), &parameters)
            }
        }
        return status == 1 ? srtp_err_status_ok : srtp_err_status_init_fail
    }

    private static func restart(_ state: UnsafeMutableRawPointer?) -> srtp_err_status_t {
        guard let state else { return srtp_err_status_bad_param }
        return EVP_MAC_init(OpaquePointer(state), nil, 0, nil) == 1 ? srtp_err_status_ok : srtp_err_status_auth_fail
    }

    private static func update(_ state: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<UInt8>?, _ length: Int32) -> srtp_err_status_t {
        guard let state, length >= 0 else { return srtp_err_status_bad_param }
        guard length > 0, let bytes else { return srtp_err_status_ok }
        return EVP_MAC_update(OpaquePointer(state), bytes, Int(length)) == 1 ? srtp_err_status_ok : srtp_err_status_auth_fail
    }

    /// The last bytes, then the first `tagLength` bytes of the MAC at `tag` (RFC 3711 §4.2.1).
    private static func finish(
        _ state: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<UInt8>?, _ length: Int32, _ tagLength: Int32, _ tag: UnsafeMutablePointer<UInt8>?
    ) -> srtp_err_status_t {
        guard let state, let tag, (0...Int32(digestLength)).contains(tagLength) else { return srtp_err_status_bad_param }
        let updated = update(state, bytes, length)
        guard updated == srtp_err_status_ok else { return updated }
        var digest = (UInt64(0), UInt64(0), UInt32(0))
        var written = 0
        let status = withUnsafeMutableBytes(of: &digest) { buffer in
            let status = EVP_MAC_final(OpaquePointer(state), buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, digestLength)
            if status == 1 { tag.update(from: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: Int(tagLength)) }
            return status
        }
        return status == 1 && written == digestLength ? srtp_err_status_ok : srtp_err_status_auth_fail
    }
}
