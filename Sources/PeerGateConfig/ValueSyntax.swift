#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsers for the value syntaxes of configuration keys; each returns nil for text it
/// refuses, and ``ConfigReading`` reports the refusal with the key's expectation.
enum ValueSyntax {
    static func integer(in range: ClosedRange<Int>) -> (String) -> Int? {
        { text in Int(text.trimmingSpaces).flatMap { range.contains($0) ? $0 : nil } }
    }

    static func port(_ text: String) -> Int? { integer(in: 0...65535)(text) }

    /// YAML 1.1 and 1.2 spellings of booleans.
    static func bool(_ text: String) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    static func choice<T: RawRepresentable<String> & CaseIterable>(_: T.Type) -> (String) -> T? {
        { T(rawValue: $0.trimmingSpaces.lowercased()) }
    }

    static func describeChoices<T: RawRepresentable<String> & CaseIterable>(_: T.Type) -> String {
        "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// An IPv4 or IPv6 literal, or a DNS host name (RFC 1123 labels).
    static func host(_ text: String) -> String? {
        let host = text.trimmingSpaces
        if isIPAddress(host) { return host }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard !host.isEmpty, host.count <= 253 else { return nil }
        let valid = labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        return valid ? host : nil
    }

    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// `address/prefix` with a prefix length that fits the address family.
    static func cidr(_ text: String) -> String? {
        let parts = text.trimmingSpaces.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 16)
        let address = String(parts[0])
        if inet_pton(AF_INET, address, &buffer) == 1 { return (0...32).contains(prefix) ? text.trimmingSpaces : nil }
        if inet_pton(AF_INET6, address, &buffer) == 1 { return (0...128).contains(prefix) ? text.trimmingSpaces : nil }
        return nil
    }

    /// `first-last`, both unprivileged ports, first ≤ last.
    static func portRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.trimmingSpaces.split(separator: "-")
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]),
            1024 <= first, first <= last, last <= 65535
        else { return nil }
        return first...last
    }

    /// An http(s) URL made of scheme, host and optional port, nothing else; a default
    /// port (`:443` for https, `:80` for http) is dropped, since clients built on the KVS
    /// C SDK accept only URLs without an explicit port (DESIGN.md §3).
    static func publicURL(_ text: String) -> String? {
        var rest = text.trimmingSpaces
        while rest.hasSuffix("/") { rest.removeLast() }
        let scheme: String
        if rest.lowercased().hasPrefix("https://") { scheme = "https" } else if rest.lowercased().hasPrefix("http://") { scheme = "http" } else { return nil }
        rest = String(rest.dropFirst(scheme.count + 3))
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else { return nil }
        var authority = rest
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            let hostPart = String(rest[..<colon])
            let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
            authority = isDefault ? hostPart : "\(hostPart):\(port)"
            guard host(hostPart.trimming("[]")) != nil else { return nil }
        } else {
            guard host(rest.trimming("[]")) != nil else { return nil }
        }
        return "\(scheme)://\(authority)"
    }

    /// A KVS channel name: `[a-zA-Z0-9_.-]{1,256}`.
    static func channelName(_ text: String) -> String? {
        let valid = (1...256).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
        return valid ? text : nil
    }

    /// An AWS region name such as `us-east-1` (lower-case letters, digits, dashes).
    static func region(_ text: String) -> String? {
        let valid = (1...32).contains(text.count) && text.first?.isLetter == true
            && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return valid ? text : nil
    }

    static func accountId(_ text: String) -> String? {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber } ? text : nil
    }

    /// An access key id: 16 to 128 ASCII letters and digits.
    static func accessKeyId(_ text: String) -> String? {
        (16...128).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? text : nil
    }

    /// A secret of at least 16 characters.
    static func secret(_ text: String) -> Secret? {
        text.count >= 16 ? Secret(text) : nil
    }
}

extension String {
    var trimmingSpaces: String {
        trimming(" \t")
    }

    func trimming(_ characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
