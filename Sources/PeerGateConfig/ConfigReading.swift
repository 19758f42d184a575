import Configuration

/// Reads typed, validated settings out of ``ConfigLayers`` through swift-configuration.
///
/// Every read records the key as known (so leftovers in a source are reported as unknown
/// keys) and, when the value is refused, records a problem naming the key and its origin
/// and carries on with the default, so that one run reports every problem at once.
struct ConfigReading {
    let layers: ConfigLayers
    let reader: ConfigReader
    private(set) var problems: [ConfigurationError.Problem] = []
    private(set) var knownKeys: Set<String> = []
    private(set) var knownLists: Set<String> = []

    init(layers: ConfigLayers) {
        self.layers = layers
        self.reader = layers.reader(isSecret: ConfigReading.isSecretKey)
    }

    /// Keys whose values are masked in output and logs.
    static func isSecretKey(_ key: String) -> Bool {
        let last = key.split(separator: ".").last.map(String.init) ?? key
        return ["secret", "secretAccessKey", "password"].contains(last)
    }

    /// `auth.credentials.0.accessKeyId` → `auth.credentials[0].accessKeyId`.
    static func displayName(_ key: String) -> String {
        key.split(separator: ".").reduce(into: "") { name, component in
            if Int(component) != nil { name += "[\(component)]" } else { name += name.isEmpty ? String(component) : ".\(component)" }
        }
    }

    mutating func fail(_ key: String, _ message: String) {
        problems.append(.init(key: Self.displayName(key), message: message))
    }

    /// The text of a single value, nil when no layer sets it.
    mutating func text(_ key: String) -> String? {
        knownKeys.insert(key)
        guard layers.isSet(key) else { return nil }
        do {
            return try reader.requiredString(forKey: ConfigKey(Self.components(key)), isSecret: Self.isSecretKey(key))
        } catch {
            fail(key, "expected a single value, not a list or mapping (from \(layers.origin(of: key)))")
            return nil
        }
    }

    /// The items of a list of plain values, nil when no layer sets it.
    mutating func textList(_ key: String) -> [String]? {
        knownKeys.insert(key)
        guard layers.isSet(key) else { return nil }
        do {
            return try reader.requiredStringArray(forKey: ConfigKey(Self.components(key)))
        } catch {
            fail(key, "expected a list of values (from \(layers.origin(of: key)))")
            return nil
        }
    }

    /// A value parsed by `parse`; refused values are reported with `expectation`.
    mutating func value<T>(
        _ key: String, default fallback: T, expecting expectation: String, _ parse: (String) -> T?
    ) -> T {
        guard let text = text(key) else { return fallback }
        guard let value = parse(text) else {
            refuse(key, text, expecting: expectation)
            return fallback
        }
        return value
    }

    /// An optional value: nil when no layer sets it.
    mutating func optional<T>(_ key: String, expecting expectation: String, _ parse: (String) -> T?) -> T? {
        guard let text = text(key) else { return nil }
        guard let value = parse(text) else {
            refuse(key, text, expecting: expectation)
            return nil
        }
        return value
    }

    /// A required value of a list element: missing is a problem.
    mutating func required<T>(_ key: String, expecting expectation: String, _ parse: (String) -> T?) -> T? {
        guard layers.isSet(key) else {
            knownKeys.insert(key)
            fail(key, "is required")
            return nil
        }
        guard let text = text(key) else { return nil }
        guard let value = parse(text) else {
            refuse(key, text, expecting: expectation)
            return nil
        }
        return value
    }

    private mutating func refuse(_ key: String, _ text: String, expecting expectation: String) {
        let shown = Self.isSecretKey(key) ? "****" : text
        fail(key, "\"\(shown)\" is not \(expectation) (from \(layers.origin(of: key)))")
    }

    /// The elements of a list of mappings, each read by `readElement` with its key prefix.
    mutating func elements<T>(_ listKey: String, _ readElement: (inout ConfigReading, String) -> T?) -> [T] {
        knownKeys.insert(listKey)
        knownLists.insert(listKey)
        guard let last = layers.elementIndices(of: listKey).last else { return [] }
        return (0...last).compactMap { index in readElement(&self, "\(listKey).\(index)") }
    }

    static func components(_ key: String) -> [String] {
        key.split(separator: ".").map(String.init)
    }
}
