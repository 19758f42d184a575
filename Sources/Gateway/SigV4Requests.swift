import Hummingbird
import SigV4

extension SigV4Request {
    /// The signed parts of an HTTP request as Hummingbird received it: the raw path and
    /// query as sent, every header field and `host` from the request authority (HTTP/1.1
    /// `Host` is carried as the authority by swift-http-types).
    init(_ request: Request, body: [UInt8] = []) {
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        if let authority = request.head.authority, !headers.contains(where: { $0.name == "host" }) {
            headers.append((name: "host", value: authority))
        }
        self.init(
            method: request.method.rawValue, path: request.uri.path, query: QueryString.decode(request.uri.query),
            headers: headers, body: body)
    }
}
