/// The passwords of TURN usernames: time-limited REST usernames (`<expiry>:<name>`,
/// password = base64 HMAC-SHA1 of the username with the shared secret) and optional static
/// users. An expired REST username is told apart: it may not make an allocation (401) but
/// may keep up the one it made (``TURNServerCore``).
public struct TURNCredentialStore: Sendable {
    public let rest: TURNRESTCredentials?
    public let staticUsers: [String: String]

    public init(rest: TURNRESTCredentials?, staticUsers: [String: String] = [:]) {
        self.rest = rest
        self.staticUsers = staticUsers
    }

    public enum Lookup: Sendable, Equatable {
        case password(String, user: String)
        /// A REST username past its expiry, with the password it had.
        case expired(String, user: String)
        case unknown
    }

    /// The password of `username` at `now`, and the user it counts against (quota,
    /// bandwidth): the name part of a REST username, the username of a static user.
    public func lookup(_ username: String, now: Int) -> Lookup {
        if let password = staticUsers[username] {
            return .password(password, user: username)
        }
        guard let rest, let expiry = TURNRESTCredentials.expiry(of: username) else { return .unknown }
        let name = username.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? username
        guard expiry >= now else { return .expired(rest.password(for: username), user: name) }
        return .password(rest.password(for: username), user: name)
    }
}
