/// Decoding of URL query strings into the parameter list a signature covers.
public enum QueryString {
    /// `a=1&b=x%2Fy` → [("a", "1"), ("b", "x/y")]. `%XX` escapes are decoded; `+` stays a
    /// plus sign, as Signature Version 4 clients encode spaces as `%20`.
    public static func decode(_ raw: String?) -> [(name: String, value: String)] {
        guard let raw, !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: percentDecode(parts[0]), value: parts.count > 1 ? percentDecode(parts[1]) : "")
        }
    }

    /// Decodes `%XX` escapes; a malformed escape is kept as written.
    static func percentDecode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let byte = Hex.decode(String(decoding: bytes[index + 1...index + 2], as: UTF8.self))?.first {
                output.append(byte)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
