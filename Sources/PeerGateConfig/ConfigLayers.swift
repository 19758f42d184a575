import Configuration

/// The sources of one configuration, highest precedence first: `--set` overrides, the
/// environment (`PEERGATE_*`), the configuration file, the built-in defaults (the embedded
/// `Config/peergate.yaml`). DESIGN.md §5.
struct ConfigLayers: Sendable {
    let overrides: FlatConfigLayer
    let environment: [String: String]
    let file: FlatConfigLayer?
    let defaults: FlatConfigLayer

    /// The YAML layers, highest precedence first.
    var yamlLayers: [FlatConfigLayer] { [overrides] + (file.map { [$0] } ?? []) + [defaults] }

    /// Only the variables of peergate's configuration namespace.
    var peergateEnvironment: [String: String] {
        environment.filter { $0.key.hasPrefix(EnvironmentName.prefix) && !EnvironmentName.processVariables.contains($0.key) }
    }

    /// A swift-configuration reader over all layers in precedence order.
    func reader(isSecret: @escaping @Sendable (String) -> Bool) -> ConfigReader {
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: peergateEnvironment,
            secretsSpecifier: .dynamic { name, _ in name.contains("SECRET") || name.contains("PASSWORD") }
        ).prefixKeys(with: ConfigKey(["peergate"]))
        var providers: [any ConfigProvider] = [overrides.provider(isSecret: isSecret), environmentProvider]
        if let file {
            providers.append(file.provider(isSecret: isSecret))
        }
        providers.append(defaults.provider(isSecret: isSecret))
        return ConfigReader(providers: providers)
    }

    /// Whether any layer sets this key (a written `key:` without a value does not).
    func isSet(_ key: String) -> Bool {
        if peergateEnvironment[EnvironmentName.of(key)] != nil { return true }
        return yamlLayers.contains { layer in
            if case .some(.null) = layer.values[key] { return false }
            return layer.values[key] != nil
        }
    }

    /// Where the winning value of a key comes from, for messages.
    func origin(of key: String) -> String {
        let variable = EnvironmentName.of(key)
        if overrides.values[key] != nil { return "--set" }
        if peergateEnvironment[variable] != nil { return variable }
        if let file, file.values[key] != nil { return file.location(of: key) }
        return "defaults"
    }

    /// The element indices of a list of mappings (`auth.credentials`) found in any layer:
    /// `list.N.field` keys and `PEERGATE_LIST_N_FIELD` variables.
    func elementIndices(of listKey: String) -> [Int] {
        var indices = Set<Int>()
        let keyPrefix = listKey + "."
        for layer in yamlLayers {
            for key in layer.values.keys where key.hasPrefix(keyPrefix) {
                if let index = Int(key.dropFirst(keyPrefix.count).prefix { $0 != "." }) {
                    indices.insert(index)
                }
            }
        }
        let variablePrefix = EnvironmentName.of(listKey) + "_"
        for name in peergateEnvironment.keys where name.hasPrefix(variablePrefix) {
            if let index = Int(name.dropFirst(variablePrefix.count).prefix { $0 != "_" }) {
                indices.insert(index)
            }
        }
        return indices.sorted()
    }
}
