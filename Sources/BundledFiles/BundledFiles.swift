/// Text files of the package compiled into the binary by the `EmbedFilesPlugin` build
/// tool: the SQL migrations of `Migrations/`, the default `Config/peergate.yaml` and the
/// API description `Config/openapi.yaml`.
public enum BundledFiles {
    /// The migration files (`Migrations/NNNN_name.sql`) as (file name, SQL text),
    /// ordered by file name.
    public static var migrations: [(fileName: String, sql: String)] {
        contents
            .filter { $0.key.hasPrefix("Migrations/") && $0.key.hasSuffix(".sql") }
            .map { (fileName: String($0.key.dropFirst("Migrations/".count)), sql: $0.value) }
            .sorted { $0.fileName < $1.fileName }
    }

    /// The text of `Config/peergate.yaml`: the commented default configuration, which is
    /// also the built-in defaults every other configuration source is merged over.
    public static var defaultConfigYAML: String {
        guard let text = contents["Config/peergate.yaml"] else {
            preconditionFailure("Config/peergate.yaml is embedded by EmbedFilesPlugin at build time")
        }
        return text
    }

    /// The text of `Config/openapi.yaml`: the recordings API's OpenAPI 3.1 description,
    /// served at `/openapi.yaml`.
    public static var openAPIYAML: String {
        guard let text = contents["Config/openapi.yaml"] else {
            preconditionFailure("Config/openapi.yaml is embedded by EmbedFilesPlugin at build time")
        }
        return text
    }

    /// The web console's files (`Sources/BundledFiles/Console/*`) by file name.
    public static var consoleFiles: [String: String] {
        var files: [String: String] = [:]
        for (path, text) in contents where path.hasPrefix("Sources/BundledFiles/Console/") {
            files[String(path.dropFirst("Sources/BundledFiles/Console/".count))] = text
        }
        return files
    }
}
