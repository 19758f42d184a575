import AsyncHTTPClient
import Foundation
import KVSAPI
import NIOCore
import NIOHTTP1
import NIOSSL
import SigV4

/// A client of the KVS control-plane and HTTPS signaling APIs (of peergate or of AWS):
/// SigV4-signed JSON POSTs, errors decoded to ``KVSError``.
public final class KVSClient: Sendable {
    public struct Endpoint: Sendable {
        /// `https://host[:port]` or `http://…`.
        public var url: String
        public var region: String
        public var credentials: SigV4Credentials
        /// PEM certificate authority of a server with a self-signed certificate.
        public var trustedCertificateFile: String?

        public init(url: String, region: String, credentials: SigV4Credentials, trustedCertificateFile: String? = nil) {
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            self.url = url
            self.region = region
            self.credentials = credentials
            self.trustedCertificateFile = trustedCertificateFile
        }
    }

    /// Why a call failed: the service's error, or no usable answer at all.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case service(KVSError)
        case transport(String)

        public var description: String {
            switch self {
            case .service(let error): "\(error.name): \(error.message)"
            case .transport(let text): text
            }
        }
    }

    public let endpoint: Endpoint
    let http: HTTPClient
    let timeout: TimeAmount

    public init(endpoint: Endpoint, timeout: Duration = .seconds(30)) throws {
        self.endpoint = endpoint
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        var configuration = HTTPClient.Configuration()
        if let file = endpoint.trustedCertificateFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            configuration.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the client's connections; call once when done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// POSTs `input` as JSON to `path`, signed, and decodes the answer.
    public func call<Input: Encodable, Output: Decodable>(_ path: String, _ input: Input, as _: Output.Type = Output.self) async throws(Failure) -> Output {
        let body: Data
        do {
            body = try JSONEncoder().encode(input)
        } catch {
            throw .transport("cannot encode the request: \(error)")
        }
        let authority = String(endpoint.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first ?? "")
        let unsigned = SigV4Request(
            method: "POST", path: path, headers: [("host", authority), ("content-type", "application/json")], body: Array(body))
        let signature = SigV4Signer(credentials: endpoint.credentials, scope: SigV4Scope(region: endpoint.region, service: "kinesisvideo"))
            .sign(unsigned, at: Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let data: Data
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = response.status
            headers = response.headers
            data = Data((try await response.body.collect(upTo: 16 * 1024 * 1024)).readableBytesView)
        } catch {
            throw .transport("\(endpoint.url)\(path): \(error)")
        }
        guard (200..<300).contains(status.code) else {
            throw .service(Self.error(status: Int(status.code), headers: headers, body: data))
        }
        do {
            return try JSONDecoder().decode(Output.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw .transport("\(path): the answer is not the expected JSON: \(error)")
        }
    }

    /// The KVS error of a failed call: `x-amzn-ErrorType` (or `__type`) and `Message`/`message`.
    static func error(status: Int, headers: HTTPHeaders, body: Data) -> KVSError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let typeField = headers.first(name: "x-amzn-ErrorType") ?? (object["__type"] as? String) ?? "HTTP\(status)"
        let name = String(typeField.split(separator: ":").first ?? Substring(typeField)).split(separator: "#").last.map(String.init) ?? typeField
        let message = (object["Message"] as? String) ?? (object["message"] as? String) ?? String(decoding: body.prefix(500), as: UTF8.self)
        return KVSError(name: name, status: status, message: message)
    }
}
