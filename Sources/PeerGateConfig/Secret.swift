/// A configured secret (SigV4 secret key, TURN shared secret).
///
/// Its description and its encoding are masked, so printing or logging a configuration
/// never reveals it; ``value`` is the only way to the text.
public struct Secret: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The secret text.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "****" }

    /// Encodes as `****`, unless the encoder's user info holds
    /// ``Secret/revealKey`` = `true` (used to write configuration files).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        let reveal = encoder.userInfo[Self.revealKey] as? Bool ?? false
        try container.encode(reveal ? value : description)
    }

    /// The user-info key that makes ``encode(to:)`` write the real value.
    public static let revealKey = CodingUserInfoKey(rawValue: "peergate.revealSecrets")!
}
