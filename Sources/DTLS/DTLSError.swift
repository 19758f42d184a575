/// Why a DTLS association could not be set up or failed.
public enum DTLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// OpenSSL refused a set-up step (the message comes from its error queue).
    case setup(String)
    /// The handshake failed (alert received or sent, bad message).
    case handshake(String)
    /// The peer's certificate does not hash to the fingerprint in its SDP (RFC 5763 §5,
    /// RFC 8122 §5): the connection fails and no SRTP keys are exported.
    case fingerprintMismatch(expected: String, actual: String)
    /// The peer presented no certificate.
    case noPeerCertificate
    /// The handshake finished without agreeing on an SRTP protection profile (RFC 5764 §4.1.2).
    case noSRTPProfile
    /// The fingerprint's hash function is not one peergate computes.
    case unsupportedHashFunction(String)
    /// The handshake did not finish within the allowed time.
    case timedOut

    public var description: String {
        switch self {
        case .setup(let message): "DTLS set-up failed: \(message)"
        case .handshake(let message): "DTLS handshake failed: \(message)"
        case .fingerprintMismatch(let expected, let actual):
            "the peer's DTLS certificate has fingerprint \(actual), its SDP announced \(expected)"
        case .noPeerCertificate: "the peer presented no DTLS certificate"
        case .noSRTPProfile: "the DTLS handshake agreed on no SRTP protection profile"
        case .unsupportedHashFunction(let name): "fingerprint hash function \(name) is not supported"
        case .timedOut: "the DTLS handshake timed out"
        }
    }
}
