// Thin shim over OpenSSL 3 (libssl + libcrypto, Debian 12). The static-inline
// functions expose macros that Swift cannot import.
#ifndef PEERGATE_COPENSSL_SHIM_H
#define PEERGATE_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>

/// `SSL_set_mtu`: the DTLS path MTU (RFC 6347 §4.1.1).
static inline long peergate_ssl_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }

/// `SSL_CTX_set_min_proto_version`.
static inline int peergate_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

/// `SSL_CTX_set_max_proto_version`.
static inline int peergate_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// `BIO_pending`: bytes waiting to be read from a BIO.
/// `SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS)`: record buffers are freed while idle.
static inline long peergate_ssl_ctx_release_buffers(SSL_CTX *ctx) { return SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS); }

static inline long peergate_bio_pending(BIO *bio) { return (long)BIO_pending(bio); }

/// `BIO_set_mem_eof_return`: what an empty memory BIO returns on read.
static inline long peergate_bio_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

/// `DTLSv1_get_timeout`: time left until the next DTLS retransmission; 1 when a timer runs.
static inline long peergate_dtls_get_timeout(SSL *ssl, struct timeval *timeout) {
    return DTLSv1_get_timeout(ssl, timeout);
}

/// `DTLSv1_handle_timeout`: retransmit the current flight if its timer expired.
static inline long peergate_dtls_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }

/// DTLS retransmission timer (RFC 6347 §4.2.4.1; RFC 9147 §5.8.2 lets a known round trip
/// set the initial value): a flight first waits the value stored with
/// `peergate_dtls_set_initial_timeout` (1 s when none), each retransmission doubles the
/// wait, up to 60 s. OpenSSL calls it with 0 for a flight's first timer.
static inline unsigned int peergate_dtls_timer(SSL *ssl, unsigned int timer_us) {
    if (timer_us == 0) {
        unsigned int initial = (unsigned int)(uintptr_t)SSL_get_app_data(ssl);
        return initial > 0 ? initial : 1000000;
    }
    return timer_us >= 30000000 ? 60000000 : timer_us * 2;
}

/// Sets the first retransmission wait of each flight (microseconds) and installs the timer.
static inline void peergate_dtls_set_initial_timeout(SSL *ssl, unsigned int microseconds) {
    SSL_set_app_data(ssl, (void *)(uintptr_t)microseconds);
    DTLS_set_timer_cb(ssl, peergate_dtls_timer);
}

/// `SSL_get_peer_certificate` is deprecated in OpenSSL 3; this returns a new reference
/// the caller must free with `X509_free`.
static inline X509 *peergate_ssl_get1_peer_certificate(const SSL *ssl) {
    return SSL_get1_peer_certificate(ssl);
}

/// `SSL_OP_NO_QUERY_MTU`: use the MTU set with `SSL_set_mtu` instead of asking the BIO.
static inline void peergate_ssl_set_no_query_mtu(SSL *ssl) { SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU); }

/// `BIO_set_retry_read`: an empty datagram BIO asks the caller to try again later.
static inline void peergate_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }

/// `BIO_clear_retry_flags`.
static inline void peergate_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

#endif
