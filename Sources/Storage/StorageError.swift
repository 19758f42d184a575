/// Why the database could not be opened or migrated.
///
/// A struct over a private code, so new cases do not break callers (the pattern of
/// swift-certificates); each factory records what the operator needs to act.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case cannotOpen
        case newerSchema
        case badMigrationFile
        case migrationFailed
    }

    private let code: Code
    /// What happened and what to do, for the operator.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The database file cannot be created or opened.
    static func cannotOpen(path: String, underlying: any Error) -> StorageError {
        StorageError(.cannotOpen, "cannot open the database \(path): \(underlying)")
    }

    /// The database holds migrations this binary does not know: a newer peergate wrote it.
    static func newerSchema(path: String, unknown: [String]) -> StorageError {
        StorageError(
            .newerSchema,
            "the database \(path) was written by a newer peergate (unknown migrations: \(unknown.joined(separator: ", "))); "
                + "run that version or a later one, or restore a backup made before the upgrade")
    }

    /// A file in `Migrations/` does not follow `NNNN_name.sql` or breaks the sequence.
    static func badMigrationFile(_ fileName: String, _ reason: String) -> StorageError {
        StorageError(.badMigrationFile, "migration \(fileName): \(reason)")
    }

    /// A migration's SQL failed; its transaction was rolled back.
    static func migrationFailed(_ identifier: String, underlying: any Error) -> StorageError {
        StorageError(.migrationFailed, "migration \(identifier) failed and was rolled back: \(underlying)")
    }

    /// Whether this error means the database is newer than this binary.
    public var isNewerSchema: Bool { code == .newerSchema }
}
