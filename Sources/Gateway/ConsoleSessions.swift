import Crypto
import Foundation

/// Web console logins: a stateless token, `<payload>.<HMAC-SHA256>` in base64url, where
/// the payload names the access key and the expiry. The key is a server secret kept in
/// the database, so sessions survive a restart; a token whose access key was removed from
/// the configuration stops working. Carried in an HttpOnly, SameSite=Strict cookie.
public struct ConsoleSessions: Sendable {
    public static let cookieName = "peergate_session"
    let key: SymmetricKey
    let lifetime: Int
    /// Secret access key of an access key id, nil when unknown.
    let secrets: @Sendable (String) -> String?

    public init(key: String, lifetimeSeconds: Int, secrets: @escaping @Sendable (String) -> String?) {
        self.key = SymmetricKey(data: SHA256.hash(data: Data(key.utf8)))
        lifetime = lifetimeSeconds
        self.secrets = secrets
    }

    /// A token for `accessKeyId` when `secret` is its secret (compared in constant time).
    public func login(accessKeyId: String, secret: String, now: Int) -> (token: String, expires: Int)? {
        guard accessKeyId.utf8.count <= 128, secret.utf8.count <= 256, let expected = secrets(accessKeyId),
            Self.constantTimeEquals(Array(SHA256.hash(data: Data(expected.utf8))), Array(SHA256.hash(data: Data(secret.utf8))))
        else { return nil }
        let expires = now + lifetime
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let payload = Data("v1|\(accessKeyId)|\(expires)|\(nonce)".utf8)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        return (Self.base64URL(payload) + "." + Self.base64URL(mac), expires)
    }

    /// The access key id a token stands for, when it is authentic, unexpired and its key
    /// still configured.
    public func verify(_ token: String, now: Int) -> (accessKeyId: String, expires: Int)? {
        guard token.utf8.count <= 512 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.decodeBase64URL(String(parts[0])), let mac = Self.decodeBase64URL(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key)
        else { return nil }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == "v1", let expires = Int(fields[2]), now < expires, secrets(fields[1]) != nil else { return nil }
        return (fields[1], expires)
    }

    /// The session token in a `Cookie` header, if any.
    public static func token(cookieHeader: String?) -> String? {
        guard let cookieHeader else { return nil }
        for pair in cookieHeader.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            if trimmed.hasPrefix(cookieName + "=") { return String(trimmed.dropFirst(cookieName.count + 1)) }
        }
        return nil
    }

    /// `Set-Cookie` for a token (RFC 6265 §4.1): HttpOnly, SameSite=Strict, Path=/,
    /// Max-Age, and Secure when served over TLS.
    public static func cookie(_ token: String, maxAge: Int, secure: Bool) -> String {
        "\(cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Equal byte strings, in time that depends only on their lengths.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
