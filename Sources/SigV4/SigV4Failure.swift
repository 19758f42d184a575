/// Why a request's Signature Version 4 was refused. The message says what was wrong
/// (unknown key, bad signature, expired …) and never the expected signature.
public struct SigV4Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case missing
        case malformed
        case unknownAccessKey
        case scopeMismatch
        case expired
        case clockSkew
        case signatureMismatch
    }

    public let reason: Reason
    public let message: String

    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
