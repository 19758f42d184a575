import Foundation
import GRDB
import Storage
import KVSAPI

/// Signaling channels persisted in SQLite (`signaling_channels`, `signaling_channel_tags`).
///
/// Operations check what the KVS API promises: unique names, the current version for
/// updates and deletes, the tag limit. Input syntax is validated by ``ControlPlane``.
public final class ChannelStore: Sendable {
    private let database: PeerGateDatabase

    public init(database: PeerGateDatabase) {
        self.database = database
    }

    /// Creates a channel; a name in use gives ResourceInUseException.
    public func create(
        name: String, region: String, accountId: String, messageTtlSeconds: Int, tags: [String: String], now: Date
    ) throws(KVSError) -> SignalingChannel {
        let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let channel = SignalingChannel(
            name: name, arn: ChannelNaming.arn(region: region, accountId: accountId, name: name, creationMilliseconds: milliseconds),
            messageTtlSeconds: messageTtlSeconds, version: Self.newVersion(), creationTime: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
            tags: tags)
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM signaling_channels WHERE name = ?", arguments: [name]) != nil {
                throw KVSError.resourceInUse("The signaling channel \(name) already exists")
            }
            try db.execute(
                sql: "INSERT INTO signaling_channels (name, arn, message_ttl_seconds, version, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, channel.arn, messageTtlSeconds, channel.version, milliseconds])
            let id = db.lastInsertedRowID
            for (key, value) in tags {
                try db.execute(sql: "INSERT INTO signaling_channel_tags (channel_id, key, value) VALUES (?, ?, ?)", arguments: [id, key, value])
            }
        }
        return channel
    }

    /// The channel with this name, nil when there is none.
    public func channel(named name: String) throws(KVSError) -> SignalingChannel? {
        try read { db in try Self.fetch(db, where: "name = ?", name) }
    }

    /// The channel with this ARN, nil when there is none.
    public func channel(arn: String) throws(KVSError) -> SignalingChannel? {
        try read { db in try Self.fetch(db, where: "arn = ?", arn) }
    }

    /// Up to `limit` channels whose name starts with `prefix`, in creation order, after the
    /// row id `after`; with the row id to continue from when more remain.
    public func list(prefix: String?, after: Int64, limit: Int) throws(KVSError) -> (channels: [SignalingChannel], next: Int64?) {
        try read { db in
            let pattern = (prefix ?? "").replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM signaling_channels WHERE id > ? AND name LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
                arguments: [after, pattern, limit + 1])
            let page = try rows.prefix(limit).map { try Self.channel(from: $0, db: db) }
            let next: Int64? = rows.count > limit ? rows[limit - 1]["id"] : nil
            return (page, next)
        }
    }

    /// Sets the message TTL; a stale `currentVersion` gives VersionMismatchException.
    public func update(arn: String, currentVersion: String, messageTtlSeconds: Int?) throws(KVSError) -> SignalingChannel {
        try write { db in
            let channel = try Self.existing(db, arn: arn)
            guard channel.version == currentVersion else {
                throw KVSError.versionMismatch("The version \(currentVersion) is not the current version of \(channel.name)")
            }
            let ttl = messageTtlSeconds ?? channel.messageTtlSeconds
            try db.execute(
                sql: "UPDATE signaling_channels SET message_ttl_seconds = ?, version = ? WHERE arn = ?",
                arguments: [ttl, Self.newVersion(), arn])
            return try Self.existing(db, arn: arn)
        }
    }

    /// Deletes a channel (and its tags); a given `currentVersion` must be current.
    public func delete(arn: String, currentVersion: String?) throws(KVSError) -> SignalingChannel {
        try write { db in
            let channel = try Self.existing(db, arn: arn)
            if let currentVersion, currentVersion != channel.version {
                throw KVSError.versionMismatch("The version \(currentVersion) is not the current version of \(channel.name)")
            }
            try db.execute(sql: "DELETE FROM signaling_channels WHERE arn = ?", arguments: [arn])
            return channel
        }
    }

    /// Adds or replaces tags; more than 50 in all gives TagsPerResourceExceededLimitException.
    public func tag(arn: String, tags: [String: String]) throws(KVSError) {
        try write { db in
            let channel = try Self.existing(db, arn: arn)
            let merged = channel.tags.merging(tags) { _, new in new }
            guard merged.count <= SignalingChannel.Limits.maxTags else {
                throw KVSError.tagsPerResourceExceededLimit("A channel has at most \(SignalingChannel.Limits.maxTags) tags")
            }
            let id = try Self.id(db, arn: arn)
            for (key, value) in tags {
                try db.execute(sql: "INSERT OR REPLACE INTO signaling_channel_tags (channel_id, key, value) VALUES (?, ?, ?)", arguments: [id, key, value])
            }
        }
    }

    /// Removes tags by key (absent keys are ignored).
    public func untag(arn: String, keys: [String]) throws(KVSError) {
        try write { db in
            let id = try Self.id(db, arn: arn)
            for key in keys {
                try db.execute(sql: "DELETE FROM signaling_channel_tags WHERE channel_id = ? AND key = ?", arguments: [id, key])
            }
        }
    }

    // MARK: - Rows

    private static func fetch(_ db: Database, where condition: String, _ value: String) throws -> SignalingChannel? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM signaling_channels WHERE \(condition)", arguments: [value]) else { return nil }
        return try channel(from: row, db: db)
    }

    private static func existing(_ db: Database, arn: String) throws -> SignalingChannel {
        guard let channel = try fetch(db, where: "arn = ?", arn) else {
            throw KVSError.resourceNotFound("The signaling channel \(arn) does not exist")
        }
        return channel
    }

    private static func id(_ db: Database, arn: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM signaling_channels WHERE arn = ?", arguments: [arn]) else {
            throw KVSError.resourceNotFound("The signaling channel \(arn) does not exist")
        }
        return id
    }

    private static func channel(from row: Row, db: Database) throws -> SignalingChannel {
        let id: Int64 = row["id"]
        let tagRows = try Row.fetchAll(db, sql: "SELECT key, value FROM signaling_channel_tags WHERE channel_id = ?", arguments: [id])
        let milliseconds: Int64 = row["created_at_ms"]
        return SignalingChannel(
            name: row["name"], arn: row["arn"], type: row["channel_type"], messageTtlSeconds: row["message_ttl_seconds"],
            version: row["version"], creationTime: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
            tags: Dictionary(tagRows.map { ($0["key"], $0["value"]) }) { _, last in last })
    }

    /// A new random version: 20 letters and digits, as KVS versions look.
    static func newVersion() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }

    // MARK: - Errors

    private func read<T>(_ body: (Database) throws -> T) throws(KVSError) -> T {
        do {
            return try database.pool.read(body)
        } catch let error as KVSError {
            throw error
        } catch {
            throw KVSError.internalFailure("database error: \(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(KVSError) -> T {
        do {
            return try database.pool.write(body)
        } catch let error as KVSError {
            throw error
        } catch {
            throw KVSError.internalFailure("database error: \(error)")
        }
    }
}
