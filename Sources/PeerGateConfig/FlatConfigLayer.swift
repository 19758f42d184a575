import Configuration
import Yams

/// One configuration source flattened to dotted keys, as swift-configuration reads them.
///
/// Nested mappings become key paths (`http.tls.keyFile`); lists of scalars stay lists;
/// lists of mappings become indexed paths (`auth.credentials.0.accessKeyId`), which
/// swift-configuration's YAML snapshot does not support. Values stay text: the typed
/// reading and its validation happen in ``ConfigLoader``, so that every source (file,
/// environment, command line) is checked by the same rules.
struct FlatConfigLayer: Sendable {
    enum Value: Equatable, Sendable {
        case scalar(String)
        case list([String])
        /// The key is written but has no value (`key:` or `key: ~`): lower layers apply.
        case null
    }

    /// A name for messages: the file path, "defaults", "--set".
    let sourceName: String
    /// The flattened keys with their values.
    let values: [String: Value]
    /// The 1-based line of each key in its YAML text, when it came from YAML.
    let lines: [String: Int]

    init(sourceName: String, values: [String: Value], lines: [String: Int] = [:]) {
        self.sourceName = sourceName
        self.values = values
        self.lines = lines
    }

    /// Parses YAML text whose top level is a mapping (an empty document is an empty layer).
    init(yaml text: String, sourceName: String) throws(ConfigurationError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .problem(sourceName, "not valid YAML: \(error)")
        }
        var values: [String: Value] = [:]
        var lines: [String: Int] = [:]
        if let root {
            guard let mapping = root.mapping else {
                throw .problem(sourceName, "the top level must be a mapping of sections (http:, storage:, …)")
            }
            try Self.flatten(mapping, path: [], into: &values, lines: &lines, source: sourceName)
        }
        self.init(sourceName: sourceName, values: values, lines: lines)
    }

    private static func flatten(
        _ mapping: Node.Mapping, path: [String], into values: inout [String: Value],
        lines: inout [String: Int], source: String
    ) throws(ConfigurationError) {
        for (keyNode, valueNode) in mapping {
            guard let component = keyNode.scalar?.string, !component.isEmpty, !component.contains(".") else {
                let at = path.isEmpty ? source : path.joined(separator: ".")
                throw .problem(at, "keys must be plain names (line \(keyNode.mark?.line ?? 0))")
            }
            let keyPath = path + [component]
            let key = keyPath.joined(separator: ".")
            lines[key] = keyNode.mark?.line
            switch valueNode {
            case .scalar(let scalar):
                values[key] = scalar.tag.description == Tag.Name.null.rawValue ? .null : .scalar(scalar.string)
            case .mapping(let nested):
                try flatten(nested, path: keyPath, into: &values, lines: &lines, source: source)
            case .sequence(let sequence):
                if sequence.allSatisfy({ $0.scalar != nil }) {
                    values[key] = .list(sequence.compactMap { $0.scalar?.string })
                } else if sequence.allSatisfy({ $0.mapping != nil }) {
                    values[key] = .list([])
                    for (index, element) in sequence.enumerated() {
                        guard let elementMapping = element.mapping else { continue }
                        try flatten(elementMapping, path: keyPath + [String(index)], into: &values, lines: &lines, source: source)
                    }
                } else {
                    throw .problem(key, "a list must hold only plain values or only mappings")
                }
            case .alias:
                throw .problem(key, "YAML aliases are not supported")
            }
        }
    }

    /// The layer as a swift-configuration provider (values stay text, secrets are marked).
    func provider(isSecret: (String) -> Bool) -> InMemoryProvider {
        var contents: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            let configKey = AbsoluteConfigKey(key.split(separator: ".").map(String.init))
            switch value {
            case .scalar(let text): contents[configKey] = ConfigValue(.string(text), isSecret: isSecret(key))
            case .list(let items): contents[configKey] = ConfigValue(.stringArray(items), isSecret: isSecret(key))
            case .null: continue
            }
        }
        return InMemoryProvider(name: sourceName, values: contents)
    }

    /// "key (file line N)" for messages about a key of this layer.
    func location(of key: String) -> String {
        guard let line = lines[key] else { return sourceName }
        return "\(sourceName) line \(line)"
    }
}
