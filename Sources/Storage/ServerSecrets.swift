import GRDB

/// Secrets peergate generates for itself and keeps in the database (`server_secrets`):
/// generated once, then the same value on every start.
public struct ServerSecrets: Sendable {
    private let database: PeerGateDatabase

    public init(database: PeerGateDatabase) {
        self.database = database
    }

    /// The stored value of `name`, or `generate()` stored and returned when there is none.
    public func value(_ name: String, generate: () -> String) throws -> String {
        try database.pool.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT value FROM server_secrets WHERE name = ?", arguments: [name]) {
                return existing
            }
            let value = generate()
            try db.execute(sql: "INSERT INTO server_secrets (name, value) VALUES (?, ?)", arguments: [name, value])
            return value
        }
    }

    /// Random text of `length` characters from `alphabet`, from the system's secure generator.
    public static func random(length: Int, alphabet: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in characters.randomElement(using: &generator)! })
    }
}
