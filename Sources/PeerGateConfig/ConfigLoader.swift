import BundledFiles
import Foundation

/// Loads and validates ``PeerGateConfig`` (DESIGN.md §5).
///
/// Sources, highest precedence first: `--set key=value` overrides, `PEERGATE_*` environment
/// variables, the configuration file, the built-in defaults (the embedded
/// `Config/peergate.yaml`). Unknown keys in any source and refused values throw one
/// ``ConfigurationError`` listing every problem with its key.
public enum ConfigLoader {
    /// Loads the configuration.
    /// - Parameters:
    ///   - filePath: YAML file merged over the defaults; nil for defaults only.
    ///   - environment: The process environment; only `PEERGATE_*` variables are read.
    ///   - overrides: `key=value` pairs from the command line; values are YAML scalars or
    ///     flow lists (`[a, b]`).
    public static func load(
        filePath: String? = nil, environment: [String: String] = [:], overrides: [String] = []
    ) throws(ConfigurationError) -> PeerGateConfig {
        let layers = ConfigLayers(
            overrides: try overrideLayer(overrides),
            environment: environment,
            file: try filePath.map { path throws(ConfigurationError) in try fileLayer(path) },
            defaults: try FlatConfigLayer(yaml: BundledFiles.defaultConfigYAML, sourceName: "built-in defaults"))
        var reading = ConfigReading(layers: layers)
        let config = PeerGateConfig(reading: &reading)
        reportUnknownKeys(in: layers, reading: &reading)
        guard reading.problems.isEmpty else {
            throw ConfigurationError(problems: reading.problems)
        }
        return config
    }

    private static func fileLayer(_ path: String) throws(ConfigurationError) -> FlatConfigLayer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .problem(path, "cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .problem(path, "the configuration file is not UTF-8 text")
        }
        return try FlatConfigLayer(yaml: text, sourceName: path)
    }

    private static func overrideLayer(_ overrides: [String]) throws(ConfigurationError) -> FlatConfigLayer {
        var values: [String: FlatConfigLayer.Value] = [:]
        for pair in overrides {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw .problem("--set \(pair)", "expected key=value, e.g. --set http.port=8081")
            }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            if text.hasPrefix("[") {
                let parsed = try FlatConfigLayer(yaml: "v: \(text)", sourceName: "--set \(key)")
                values[key] = parsed.values["v"] ?? .list([])
            } else {
                values[key] = .scalar(text)
            }
        }
        return FlatConfigLayer(sourceName: "--set", values: values)
    }

    /// Keys that a source sets but no setting reads, and `PEERGATE_*` variables that no
    /// key maps to.
    private static func reportUnknownKeys(in layers: ConfigLayers, reading: inout ConfigReading) {
        for layer in [layers.overrides] + (layers.file.map { [$0] } ?? []) {
            for key in layer.values.keys.sorted() where !reading.knownKeys.contains(key) {
                reading.fail(key, "unknown key (\(layer.location(of: key)))")
            }
        }
        let knownVariables = Set(reading.knownKeys.map(EnvironmentName.of))
        for variable in layers.peergateEnvironment.keys.sorted() where !knownVariables.contains(variable) {
            reading.fail(variable, "unknown environment variable: no configuration key maps to it")
        }
    }
}
