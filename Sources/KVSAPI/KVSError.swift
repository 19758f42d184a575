/// An error of the Kinesis Video Streams API, as KVS sends it: an HTTP status, the
/// `x-amzn-ErrorType` name and a message (DESIGN.md §3).
public struct KVSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception name, e.g. `ResourceNotFoundException`.
    public let name: String
    /// The HTTP status code.
    public let status: Int
    public let message: String

    public init(name: String, status: Int, message: String) {
        self.name = name
        self.status = status
        self.message = message
    }

    public var description: String { "\(name): \(message)" }

    public static func invalidArgument(_ message: String) -> KVSError {
        KVSError(name: "InvalidArgumentException", status: 400, message: message)
    }

    public static func resourceNotFound(_ message: String) -> KVSError {
        KVSError(name: "ResourceNotFoundException", status: 404, message: message)
    }

    public static func resourceInUse(_ message: String) -> KVSError {
        KVSError(name: "ResourceInUseException", status: 400, message: message)
    }

    public static func versionMismatch(_ message: String) -> KVSError {
        KVSError(name: "VersionMismatchException", status: 400, message: message)
    }

    public static func clientLimitExceeded(_ message: String) -> KVSError {
        KVSError(name: "ClientLimitExceededException", status: 400, message: message)
    }

    public static func tagsPerResourceExceededLimit(_ message: String) -> KVSError {
        KVSError(name: "TagsPerResourceExceededLimitException", status: 400, message: message)
    }

    public static func accessDenied(_ message: String) -> KVSError {
        KVSError(name: "AccessDeniedException", status: 403, message: message)
    }

    /// A `send-alexa-offer-to-master` whose master did not answer in time. A 4xx status,
    /// so that SDKs do not retry the whole wait as they retry 5xx answers.
    public static func timeout(_ message: String) -> KVSError {
        KVSError(name: "TimeoutException", status: 400, message: message)
    }

    public static func internalFailure(_ message: String) -> KVSError {
        KVSError(name: "InternalFailure", status: 500, message: message)
    }
}
