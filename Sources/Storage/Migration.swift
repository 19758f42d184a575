import BundledFiles

/// One schema migration: a numbered SQL file of the top-level `Migrations/` folder.
public struct Migration: Sendable, Equatable {
    /// The sequence number (`0001` → 1); migrations apply in this order.
    public let number: Int
    /// The identifier recorded in the database once applied: the file name without `.sql`.
    public let identifier: String
    /// The SQL statements, run in one transaction.
    public let sql: String

    /// Parses a migration from its file name (`NNNN_name.sql`) and text.
    public init(fileName: String, sql: String) throws(StorageError) {
        guard fileName.hasSuffix(".sql") else {
            throw .badMigrationFile(fileName, "the name must end in .sql")
        }
        let identifier = String(fileName.dropLast(4))
        let digits = identifier.prefix { $0.isASCII && $0.isNumber }
        let rest = identifier.dropFirst(digits.count)
        guard digits.count == 4, let number = Int(digits), rest.hasPrefix("_"), rest.count > 1,
            rest.dropFirst().allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else {
            throw .badMigrationFile(fileName, "the name must be NNNN_lower_case_words.sql")
        }
        self.number = number
        self.identifier = identifier
        self.sql = sql
    }

    /// The migrations compiled into this binary, checked to be numbered 1, 2, 3… without
    /// gaps or repeats.
    public static func bundled() throws(StorageError) -> [Migration] {
        var migrations: [Migration] = []
        for file in BundledFiles.migrations {
            migrations.append(try Migration(fileName: file.fileName, sql: file.sql))
        }
        try checkSequence(migrations)
        return migrations
    }

    /// Refuses a list that is not numbered 1, 2, 3… in order.
    public static func checkSequence(_ migrations: [Migration]) throws(StorageError) {
        for (index, migration) in migrations.enumerated() where migration.number != index + 1 {
            throw .badMigrationFile(migration.identifier + ".sql", "expected number \(paddedNumber(index + 1)) at this position")
        }
    }
}

/// A number zero-padded to four digits, as migration files are named.
func paddedNumber(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
