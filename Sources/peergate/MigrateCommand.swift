import ArgumentParser
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database in storage.dataDir, then exit.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let database: PeerGateDatabase
        do {
            database = try PeerGateDatabase.open(dataDir: config.storage.dataDir, migrations: Migration.bundled())
        } catch {
            throw RuntimeFailure(message: error.description)
        }
        for identifier in database.appliedNow {
            print("applied \(identifier)")
        }
        let total = try database.appliedMigrations().count
        print("\(database.path): schema up to date (\(total) migration\(total == 1 ? "" : "s"))")
    }
}
