// Thin shim over libsrtp2 (2.5, Debian 12; built on NSS, whose AES and HMAC-SHA1 the SRTP
// module replaces with OpenSSL 3 implementations through the cipher and auth type tables).
#ifndef PEERGATE_CSRTP_SHIM_H
#define PEERGATE_CSRTP_SHIM_H

#include <srtp2/srtp.h>
#include <srtp2/cipher.h>
#include <srtp2/auth.h>

/// The library's own cipher and authentication types (exported, not declared in its
/// headers): their self-test vectors are run again against the OpenSSL replacements.
extern const srtp_cipher_type_t srtp_aes_gcm_128;
extern const srtp_cipher_type_t srtp_aes_gcm_256;
extern const srtp_cipher_type_t srtp_aes_icm_128;
extern const srtp_cipher_type_t srtp_aes_icm_256;
extern const srtp_auth_type_t srtp_hmac;

/// Spare bytes `srtp_protect` / `srtp_protect_rtcp` may append in place
/// (SRTP_MAX_TRAILER_LEN plus the SRTCP index): callers reserve this much.
static inline int peergate_srtp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN + 4; }

/// `srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80` is a macro alias of
/// `srtp_crypto_policy_set_rtp_default`; wrapped so Swift can call it by its profile name.
static inline void peergate_srtp_policy_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(policy);
}

#endif
