/// Why libsrtp refused to protect or unprotect a packet. Network input that fails
/// is dropped and counted by the caller, never fatal.
public enum SRTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The authentication tag did not verify (RFC 3711 §3.3, RFC 7714 §8).
    case authenticationFailed
    /// The packet index was already seen or is older than the replay window (RFC 3711 §3.3.2).
    case replayed
    /// Too short to hold the header and tag, or longer than peergate accepts.
    case badLength(Int)
    /// The master key does not have the profile's key + salt length.
    case badKeyLength(expected: Int, actual: Int)
    /// Any other libsrtp status code.
    case library(status: Int32, operation: String)

    public var description: String {
        switch self {
        case .authenticationFailed: "SRTP authentication failed"
        case .replayed: "SRTP packet replayed or older than the replay window"
        case .badLength(let length): "SRTP packet of \(length) bytes refused"
        case .badKeyLength(let expected, let actual): "SRTP master key of \(actual) bytes, \(expected) expected"
        case .library(let status, let operation): "libsrtp \(operation) failed with status \(status)"
        }
    }
}
