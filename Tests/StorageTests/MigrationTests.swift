import Foundation
import GRDB
import Storage
import Testing

@Suite struct MigrationTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "peergate-db-\(UUID().uuidString)").path(percentEncoded: false)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func migration(_ fileName: String, _ sql: String) throws -> Migration {
        try Migration(fileName: fileName, sql: sql)
    }

    @Test func freshDatabaseGetsEveryBundledMigrationInWALMode() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bundled = try Migration.bundled()
        #expect(bundled.first?.identifier == "0001_metadata")
        let database = try PeerGateDatabase.open(dataDir: directory, migrations: bundled)
        #expect(database.appliedNow == bundled.map(\.identifier))
        #expect(database.path.hasSuffix("/peergate.sqlite"))
        let (journalMode, createdAt) = try database.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'created_at'"))
        }
        #expect(journalMode == "wal")
        #expect(createdAt?.hasSuffix("Z") == true)
    }

    @Test func reopeningDoesNotRunMigrationsAgain() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let migrations = try [
            migration("0001_events.sql", "CREATE TABLE events (id INTEGER PRIMARY KEY);"),
            migration("0002_seed.sql", "INSERT INTO events DEFAULT VALUES;"),
        ]
        let first = try PeerGateDatabase.open(dataDir: directory, migrations: migrations)
        #expect(first.appliedNow == ["0001_events", "0002_seed"])
        let second = try PeerGateDatabase.open(dataDir: directory, migrations: migrations)
        #expect(second.appliedNow.isEmpty)
        #expect(try second.appliedMigrations() == ["0001_events", "0002_seed"])
        let rows = try second.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") }
        #expect(rows == 1)
    }

    @Test func laterMigrationsApplyToAnExistingDatabase() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = try migration("0001_events.sql", "CREATE TABLE events (id INTEGER PRIMARY KEY);")
        _ = try PeerGateDatabase.open(dataDir: directory, migrations: [one])
        let two = try migration("0002_names.sql", "ALTER TABLE events ADD COLUMN name TEXT;")
        let upgraded = try PeerGateDatabase.open(dataDir: directory, migrations: [one, two])
        #expect(upgraded.appliedNow == ["0002_names"])
    }

    @Test func databaseOfANewerVersionIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = try migration("0001_events.sql", "CREATE TABLE events (id INTEGER PRIMARY KEY);")
        let two = try migration("0002_future.sql", "CREATE TABLE future (id INTEGER PRIMARY KEY);")
        _ = try PeerGateDatabase.open(dataDir: directory, migrations: [one, two])
        do {
            _ = try PeerGateDatabase.open(dataDir: directory, migrations: [one])
            Issue.record("a database with an unknown migration was opened")
        } catch {
            #expect(error.isNewerSchema)
            #expect(error.description.contains("0002_future"))
            #expect(error.description.contains("newer peergate"))
        }
    }

    @Test func failedMigrationIsRolledBackAndReported() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = try migration("0001_events.sql", "CREATE TABLE events (id INTEGER PRIMARY KEY);")
        let broken = try migration("0002_broken.sql", "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);")
        #expect(throws: StorageError.self) { try PeerGateDatabase.open(dataDir: directory, migrations: [one, broken]) }
        let database = try PeerGateDatabase.open(dataDir: directory, migrations: [one])
        #expect(try database.appliedMigrations() == ["0001_events"])
        let halfExists = try database.pool.read { db in try db.tableExists("half") }
        #expect(!halfExists)
    }

    @Test(arguments: ["1_events.sql", "0001-events.sql", "0001_Events.sql", "0001_.sql", "0001_events.txt"])
    func badlyNamedMigrationFileIsRefused(fileName: String) {
        #expect(throws: StorageError.self) { try Migration(fileName: fileName, sql: "") }
    }

    @Test func gapsInTheSequenceAreRefused() throws {
        let migrations = try [migration("0001_a.sql", ""), migration("0003_c.sql", "")]
        #expect(throws: StorageError.self) { try Migration.checkSequence(migrations) }
    }
}
