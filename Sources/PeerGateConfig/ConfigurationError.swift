/// Why a configuration was refused: every problem found, each naming its key.
///
/// `peergate` prints ``description`` and exits with status 2 (DESIGN.md §5).
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// One refused key or source.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        /// The dotted key (`http.port`, `auth.credentials[0].accessKeyId`), an environment
        /// variable name, or the file path when the whole source is unreadable.
        public let key: String
        /// What is wrong and, where it helps, what is expected.
        public let message: String

        public init(key: String, message: String) {
            self.key = key
            self.message = message
        }

        public var description: String { "\(key): \(message)" }
    }

    /// The problems, in the order they were found.
    public let problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// A single-problem error.
    public static func problem(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(problems: [Problem(key: key, message: message)])
    }

    public var description: String {
        if problems.count == 1 {
            return "invalid configuration: \(problems[0])"
        }
        return "invalid configuration:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
