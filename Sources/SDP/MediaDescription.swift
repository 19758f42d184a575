/// One media description (RFC 8866 §5.14): `m=<media> <port> <proto> <fmt> …` and the lines
/// that follow it up to the next `m=`.
public struct MediaDescription: Sendable, Equatable {
    /// `audio`, `video`, `application`, … (kept as text: unknown kinds are rejected by
    /// negotiation, not by the parser).
    public var kind: String
    public var port: Int
    /// `UDP/TLS/RTP/SAVPF` for WebRTC media (RFC 8829 §5.1.2).
    public var proto: String
    /// Payload types (RTP) or other format tokens, in preference order.
    public var formats: [String]
    public var connection: String?
    /// Media-level lines other than m, c and a (i, b, k), in order.
    public var otherLines: [SDPLine] = []
    public var attributes: [SDPAttribute] = []

    public init(kind: String, port: Int = 9, proto: String = "UDP/TLS/RTP/SAVPF", formats: [String], connection: String? = "IN IP4 0.0.0.0", attributes: [SDPAttribute] = []) {
        self.kind = kind
        self.port = port
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.attributes = attributes
    }

    /// The section's lines in RFC 8866 §5 order.
    var lines: [String] {
        var lines = ["m=\(kind) \(port) \(proto) \(formats.joined(separator: " "))"]
        lines += otherLines.filter { $0.type == "i" }.map(\.text)
        if let connection { lines.append("c=\(connection)") }
        lines += otherLines.filter { $0.type != "i" }.map(\.text)
        lines += attributes.map { "a=\($0.text)" }
        return lines
    }

    /// Payload types as numbers (RTP formats; other tokens are left out).
    public var payloadTypes: [UInt8] { formats.compactMap { UInt8($0) }.filter { $0 < 128 } }
}

/// An `a=` line (RFC 8866 §5.13): a property (`a=rtcp-mux`) or a value (`a=mid:0`).
public struct SDPAttribute: Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Parses the text after `a=`.
    public init(parsing text: Substring) {
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
        } else {
            name = String(text)
            value = nil
        }
    }

    public var text: String { value.map { "\(name):\($0)" } ?? name }
}

extension Array where Element == SDPAttribute {
    /// The value of the first attribute called `name` ("" for a property attribute).
    public func first(_ name: String) -> String? {
        first { $0.name == name }.map { $0.value ?? "" }
    }

    /// The values of every attribute called `name`.
    public func all(_ name: String) -> [String] {
        filter { $0.name == name }.map { $0.value ?? "" }
    }

    /// Whether a property attribute (or any attribute) called `name` is present.
    public func has(_ name: String) -> Bool {
        contains { $0.name == name }
    }
}
