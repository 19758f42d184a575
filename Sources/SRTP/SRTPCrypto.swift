import Foundation

/// Which implementation does SRTP's AES and HMAC-SHA1: OpenSSL 3 (``OpenSSLCipherTypes``,
/// the default) or libsrtp's own build (NSS on Debian), chosen once per process by the
/// environment variable `PEERGATE_SRTP_CRYPTO` (`openssl` or `libsrtp`). The second exists
/// so a benchmark can put stock libsrtp next to peergate (`peergate bench media`) and as a
/// fallback should a platform's OpenSSL misbehave; both produce the same packets.
public enum SRTPCrypto: String, Sendable {
    case openSSL = "openssl"
    case libsrtp = "libsrtp"

    public static let environmentVariable = "PEERGATE_SRTP_CRYPTO"

    /// This process's choice (read when the first SRTP session is made).
    public static let selected: SRTPCrypto = ProcessInfo.processInfo.environment[environmentVariable].flatMap { SRTPCrypto(rawValue: $0.lowercased()) } ?? .openSSL
}
