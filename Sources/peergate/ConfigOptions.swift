import ArgumentParser
import Foundation
import PeerGateConfig

/// Options every command that reads the configuration takes.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("YAML configuration file merged over the built-in defaults.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Override one setting, e.g. --set http.port=0 (repeatable).", valueName: "key=value"))
    var set: [String] = []

    @Option(name: .long, help: ArgumentHelp("Shorthand for --set http.port=PORT.", valueName: "port"))
    var httpPort: Int?

    @Option(name: .long, help: ArgumentHelp("Shorthand for --set storage.dataDir=DIR.", valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("Shorthand for --set log.level=LEVEL.", valueName: "level"))
    var logLevel: String?

    /// The `--set` overrides, shorthands last so they win over a `--set` of the same key.
    var overrides: [String] {
        var pairs = set
        if let httpPort { pairs.append("http.port=\(httpPort)") }
        if let dataDir { pairs.append("storage.dataDir=\(dataDir)") }
        if let logLevel { pairs.append("log.level=\(logLevel)") }
        return pairs
    }

    /// Loads the configuration from the file, the process environment and the overrides.
    func load() throws(ConfigurationError) -> PeerGateConfig {
        try ConfigLoader.load(filePath: config, environment: ProcessInfo.processInfo.environment, overrides: overrides)
    }
}
