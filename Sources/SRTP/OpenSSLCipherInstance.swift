import COpenSSL
import CSRTP

/// The state of one OpenSSL-backed cipher instance: it owns an `EVP_CIPHER_CTX`.
protocol EVPCipherState {
    var context: OpaquePointer { get }
}

/// A cipher instance as libsrtp holds it: an `srtp_cipher_t` whose `state` points at the
/// implementation's ``EVPCipherState``; made by the types' `alloc`, freed by their `dealloc`.
enum OpenSSLCipherInstance {
    /// Stores a new instance of `type` carrying `state` in `result`.
    static func make<State: EVPCipherState>(
        _ state: State, type: UnsafeMutablePointer<srtp_cipher_type_t>, keyLength: Int32, algorithm: Int32,
        into result: UnsafeMutablePointer<srtp_cipher_pointer_t?>
    ) -> srtp_err_status_t {
        let stored = UnsafeMutablePointer<State>.allocate(capacity: 1)
        stored.initialize(to: state)
        let cipher = UnsafeMutablePointer<srtp_cipher_t>.allocate(capacity: 1)
        cipher.initialize(to: srtp_cipher_t(type: UnsafePointer(type), state: UnsafeMutableRawPointer(stored), key_len: keyLength, algorithm: algorithm))
        result.pointee = cipher
        return srtp_err_status_ok
    }

    /// Frees an instance made by ``make(_:type:keyLength:algorithm:into:)``, its EVP context included.
    static func release<State: EVPCipherState>(_ cipher: srtp_cipher_pointer_t?, as _: State.Type) -> srtp_err_status_t {
        guard let cipher else { return srtp_err_status_bad_param }
        if let raw = cipher.pointee.state {
            let state = raw.assumingMemoryBound(to: State.self)
            EVP_CIPHER_CTX_free(state.pointee.context)
            state.deinitialize(count: 1)
            state.deallocate()
        }
        cipher.deallocate()
        return srtp_err_status_ok
    }
}
