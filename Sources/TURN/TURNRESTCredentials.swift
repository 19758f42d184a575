import Crypto
import Foundation

/// Time-limited TURN credentials of the "TURN REST API" scheme
/// (draft-uberti-behave-turn-rest-00 §2, as coturn's `use-auth-secret` implements it):
/// username `<expiry unix time>:<user>`, password `base64(HMAC-SHA1(secret, username))`.
///
/// The signaling service issues them (`/v1/get-ice-server-config`); the TURN server
/// recomputes the password from the username and refuses expired ones, so no state is
/// shared beyond the secret.
public struct TURNRESTCredentials: Sendable {
    /// The shared secret.
    private let secret: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// An issued credential.
    public struct Credential: Sendable, Equatable {
        public let username: String
        public let password: String
        /// Seconds of validity from the time of issue.
        public let ttl: Int
    }

    /// Issues a credential for `user` valid for `ttl` seconds from `now` (Unix seconds).
    public func issue(user: String, ttl: Int, now: Int) -> Credential {
        let username = "\(now + ttl):\(user)"
        return Credential(username: username, password: password(for: username), ttl: ttl)
    }

    /// The password of a username: base64 of HMAC-SHA1 keyed by the secret.
    public func password(for username: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString()
    }

    /// The expiry (Unix seconds) a REST username carries, nil when it is not of that form.
    public static func expiry(of username: String) -> Int? {
        guard let colon = username.firstIndex(of: ":") else { return Int(username) }
        return Int(username[..<colon])
    }
}
