/// The username fragment and password of one ICE session (RFC 8445 §5.3, RFC 8839 §5.4):
/// ufrag at least 4 and password at least 22 `ice-char`s, chosen at random.
public struct ICECredentials: Sendable, Hashable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// `ice-char` = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4).
    static let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Fresh random credentials: 8-character ufrag (48 bits), 24-character password (144 bits).
    public static func random() -> ICECredentials {
        var generator = SystemRandomNumberGenerator()
        func text(_ count: Int) -> String { String((0..<count).map { _ in characters.randomElement(using: &generator)! }) }
        return ICECredentials(ufrag: text(8), password: text(24))
    }

    /// Whether both meet the RFC 8839 §5.4 length and character rules.
    public var isValid: Bool {
        let allowed = Set(Self.characters)
        return (4...256).contains(ufrag.count) && (22...256).contains(password.count)
            && ufrag.allSatisfy(allowed.contains) && password.allSatisfy(allowed.contains)
    }
}
