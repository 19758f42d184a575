/// The parts of an HTTP request that Signature Version 4 covers.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path exactly as written in the request URL (no query).
    public var path: String
    /// The query parameters, decoded, in any order.
    public var query: [(name: String, value: String)]
    /// The header fields, names in any case, repeated names allowed.
    public var headers: [(name: String, value: String)]
    /// The body; its SHA-256 is the payload hash unless an `x-amz-content-sha256`
    /// header gives one.
    public var body: [UInt8]

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of a header (case-insensitive name), in order of appearance.
    public func values(of name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}
