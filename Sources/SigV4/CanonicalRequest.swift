import Crypto

/// The canonical request of Signature Version 4 (AWS General Reference, "Create a canonical
/// request"): method, canonical URI, canonical query string, canonical headers, signed
/// header names and the payload hash, one per line.
enum CanonicalRequest {
    /// The canonical request text for `request` signing `signedHeaders` (lower-case names).
    static func text(_ request: SigV4Request, signedHeaders: [String], payloadHash: String, excludingQuery excluded: String? = nil) -> String {
        let query = request.query.filter { $0.name != excluded }
        return [
            request.method.uppercased(),
            canonicalURI(request.path),
            canonicalQuery(query),
            canonicalHeaders(request, signedHeaders) + "\n",
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The path with `.`/`..` segments resolved and repeated slashes merged, then each
    /// byte outside the unreserved set percent-encoded (services other than S3 encode the
    /// path as sent, so an already encoded path is encoded once more).
    static func canonicalURI(_ path: String) -> String {
        let normalized = normalize(path.isEmpty ? "/" : path)
        return uriEncode(normalized, keepSlash: true)
    }

    private static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailingSlash = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.joined(separator: "/") + (trailingSlash ? "/" : "")
    }

    /// `name=value` pairs, both encoded, sorted by name then value, joined by `&`.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (uriEncode($0.name), uriEncode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// `name:value` lines for the signed headers: values trimmed, inner runs of spaces
    /// collapsed, repeated fields joined with commas in order of appearance.
    static func canonicalHeaders(_ request: SigV4Request, _ signedHeaders: [String]) -> String {
        signedHeaders.map { name in
            let values = request.values(of: name).map(collapseSpaces)
            return "\(name):\(values.joined(separator: ","))"
        }.joined(separator: "\n")
    }

    private static func collapseSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// RFC 3986 percent-encoding of every byte except the unreserved characters
    /// `A-Z a-z 0-9 - . _ ~` (and `/` when `keepSlash`), upper-case hex.
    static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                output.append("/")
            default:
                output += "%" + Hex.upper(byte)
            }
        }
        return output
    }

    /// The hex SHA-256 of bytes, as the payload hash and the string to sign use it.
    static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.lower(SHA256.hash(data: Array(bytes)))
    }
}

/// Hexadecimal text of bytes.
enum Hex {
    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    static func lower(_ bytes: some Sequence<UInt8>) -> String {
        var output = [UInt8]()
        for byte in bytes {
            output.append(lowerDigits[Int(byte >> 4)])
            output.append(lowerDigits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func upper(_ byte: UInt8) -> String {
        String(decoding: [upperDigits[Int(byte >> 4)], upperDigits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
