import SigV4

/// Requests as the HTTP and WebSocket servers hand them to the verifier.
public enum SigV4FuzzTarget {
    static let scope = SigV4Scope(region: "us-east-1", service: "kinesisvideo")
    static let signer = SigV4Signer(credentials: SigV4Credentials(accessKeyId: "AKIDFUZZ", secretAccessKey: "fuzz-secret"), scope: scope)
    static let server = SigV4Verifier(scope: scope) { $0 == "AKIDFUZZ" ? "fuzz-secret" : nil }
    static let now = 1_790_000_000

    /// The input is a request in lines — method, path, raw query, then `name: value`
    /// headers, a blank line and the body. The verifier takes it as sent (Authorization
    /// header or presigned query, both parsed from the input); then the same request,
    /// signed both ways by our signer, must verify, and an encoded query must decode to
    /// the same parameters.
    public static let requests = FuzzTarget(
        name: "sigv4",
        summary: "SigV4 verifier on arbitrary requests (header and presigned forms); sign → verify and query encode → decode round trips"
    ) { bytes in
        let request = request(String(decoding: bytes, as: UTF8.self))
        _ = try? server.verify(request, now: now)

        let query = request.query
        let decoded = QueryString.decode(SigV4Signer.encodeQuery(query))
        FuzzCheck.expect(decoded.map(\.name) == query.map(\.name) && decoded.map(\.value) == query.map(\.value), "an encoded query decodes differently")

        var unsigned = request
        unsigned.headers.removeAll { $0.name.lowercased() == "authorization" || $0.name.lowercased().hasPrefix("x-amz-") }
        unsigned.query.removeAll { $0.name.hasPrefix("X-Amz-") }
        if unsigned.values(of: "host").isEmpty { unsigned.headers.append(("Host", "127.0.0.1:8080")) }
        var signed = unsigned
        signed.headers += signer.sign(unsigned, at: now).headers
        let accepted = Result { () throws(SigV4Failure) in try server.verify(signed, now: now) }
        FuzzCheck.expect((try? accepted.get()) == "AKIDFUZZ", "a request we signed is refused: \(accepted)")

        var presigned = unsigned
        presigned.query += signer.presign(unsigned, at: now, expires: 300)
        let acceptedURL = Result { () throws(SigV4Failure) in try server.verify(presigned, now: now + 10) }
        FuzzCheck.expect((try? acceptedURL.get()) == "AKIDFUZZ", "a URL we presigned is refused: \(acceptedURL)")
    }

    /// The request the input's lines describe. Header names keep token characters only
    /// (RFC 9110 §5.1) — anything else never reaches the verifier from an HTTP parser.
    static func request(_ text: String) -> SigV4Request {
        let parts = text.split(separator: "\n\n", maxSplits: 1, omittingEmptySubsequences: false)
        var lines = parts[0].split(separator: "\n", omittingEmptySubsequences: false).map { String($0.filter { $0 != "\r" }) }
        while lines.count < 3 { lines.append("") }
        let headers: [(name: String, value: String)] = lines.dropFirst(3).compactMap { line in
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            let name = String(pair[0]).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            return name.isEmpty ? nil : (name, String(pair[1]))
        }
        let method = lines[0].filter { $0.isASCII && $0.isLetter }
        return SigV4Request(
            method: method.isEmpty ? "GET" : method, path: lines[1], query: QueryString.decode(lines[2]), headers: headers,
            body: parts.count > 1 ? Array(parts[1].utf8) : [])
    }
}
