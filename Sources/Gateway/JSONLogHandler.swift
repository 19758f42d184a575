import Foundation
import Logging

/// A swift-log handler writing one JSON object per event to standard error:
/// `{"time":"…","level":"info","label":"peergate","message":"…", …metadata}`.
/// Metadata keys become top-level fields (nested values as JSON objects and arrays).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        fields["source"] = .string(event.source)
        var line = "{\"time\":\(Self.quoted(Self.timestamp())),\"level\":\(Self.quoted(event.level.rawValue))"
        line += ",\"label\":\(Self.quoted(label)),\"message\":\(Self.quoted(event.message.description))"
        for key in fields.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            line += ",\(Self.quoted(key)):\(Self.json(fields[key]!))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { "\(quoted($0)):\(json(dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private static func timestamp() -> String {
        Date().ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
