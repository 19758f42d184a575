import Foundation
import GRDB

/// peergate's SQLite database (`<dataDir>/peergate.sqlite`, WAL mode through a GRDB
/// `DatabasePool`), migrated at open.
///
/// Migrations are the numbered SQL files of `Migrations/`, applied in order, each in its
/// own transaction, and recorded by GRDB's `DatabaseMigrator` so they never run twice.
/// A database that records a migration this binary does not know was written by a newer
/// peergate and is refused rather than used with a schema this code does not understand.
public final class PeerGateDatabase: Sendable {
    /// The file name of the database inside the data directory.
    public static let fileName = "peergate.sqlite"

    /// The connection pool: concurrent readers, one writer.
    public let pool: DatabasePool
    /// The database file path.
    public let path: String
    /// Identifiers of the migrations this open applied (empty when already up to date).
    public let appliedNow: [String]

    private init(pool: DatabasePool, path: String, appliedNow: [String]) {
        self.pool = pool
        self.path = path
        self.appliedNow = appliedNow
    }

    /// Opens (creating if needed) `<dataDir>/peergate.sqlite` and migrates it.
    public static func open(dataDir: String, migrations: [Migration]) throws(StorageError) -> PeerGateDatabase {
        do {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: dataDir, underlying: error)
        }
        return try open(path: (dataDir as NSString).appendingPathComponent(fileName), migrations: migrations)
    }

    /// Opens (creating if needed) the database at `path` and migrates it.
    public static func open(path: String, migrations: [Migration]) throws(StorageError) -> PeerGateDatabase {
        try Migration.checkSequence(migrations)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "peergate"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(path: path, underlying: error)
        }
        let migrator = makeMigrator(migrations)
        let before = try appliedIdentifiers(pool, path: path)
        let unknown = before.subtracting(migrations.map(\.identifier)).sorted()
        guard unknown.isEmpty else {
            throw .newerSchema(path: path, unknown: unknown)
        }
        do {
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            let failed = migrations.first { !before.contains($0.identifier) }?.identifier ?? "?"
            throw .migrationFailed(failed, underlying: error)
        } catch {
            throw .cannotOpen(path: path, underlying: error)
        }
        let appliedNow = migrations.map(\.identifier).filter { !before.contains($0) }
        return PeerGateDatabase(pool: pool, path: path, appliedNow: appliedNow)
    }

    private static func makeMigrator(_ migrations: [Migration]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    /// Identifiers recorded in GRDB's `grdb_migrations` table (none for a new database).
    private static func appliedIdentifiers(_ pool: DatabasePool, path: String) throws(StorageError) -> Set<String> {
        do {
            return try pool.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
        } catch {
            throw .cannotOpen(path: path, underlying: error)
        }
    }

    /// Identifiers of every applied migration, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    /// Runs a trivial query: proves the database answers (readiness).
    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
