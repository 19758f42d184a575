import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

extension KVSClient {
    /// A SigV4-signed request of any method to `path` with `query`; returns the body of a
    /// 2xx answer (up to `limit` bytes), else the service's error.
    public func send(_ method: HTTPMethod, _ path: String, query: [(name: String, value: String)] = [], body: Data = Data(), limit: Int = 64 << 20)
        async throws(Failure) -> Data
    {
        let response = try await execute(method, path, query: query, body: body)
        let data: Data
        do {
            data = Data((try await response.body.collect(upTo: limit)).readableBytesView)
        } catch {
            throw .transport("\(endpoint.url)\(path): \(error)")
        }
        guard (200..<300).contains(response.status.code) else { throw .service(Self.error(status: Int(response.status.code), headers: response.headers, body: data)) }
        return data
    }

    /// A signed GET decoded from JSON.
    public func get<Output: Decodable>(_ path: String, query: [(name: String, value: String)] = [], as _: Output.Type = Output.self) async throws(Failure) -> Output {
        let data = try await send(.GET, path, query: query)
        do {
            return try JSONDecoder().decode(Output.self, from: data)
        } catch {
            throw .transport("\(path): the answer is not the expected JSON: \(error)")
        }
    }

    /// A signed GET written to `file` as it arrives; `progress` gets the bytes so far.
    /// Returns the bytes written.
    public func download(_ path: String, query: [(name: String, value: String)] = [], to file: String, progress: (Int64) -> Void) async throws(Failure) -> Int64 {
        let response = try await execute(.GET, path, query: query, body: Data(), timeout: .hours(24))
        guard (200..<300).contains(response.status.code) else {
            let data = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            throw .service(Self.error(status: Int(response.status.code), headers: response.headers, body: data))
        }
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw .transport("cannot create \(file)")
        }
        defer { try? handle.close() }
        var written: Int64 = 0
        do {
            for try await chunk in response.body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                written += Int64(chunk.readableBytes)
                progress(written)
            }
        } catch {
            throw .transport("\(endpoint.url)\(path): \(error)")
        }
        return written
    }

    private func execute(_ method: HTTPMethod, _ path: String, query: [(name: String, value: String)], body: Data, timeout: TimeAmount? = nil)
        async throws(Failure) -> HTTPClientResponse
    {
        let authority = String(endpoint.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first ?? "")
        var headers: [(name: String, value: String)] = [("host", authority)]
        if !body.isEmpty { headers.append(("content-type", "application/json")) }
        let unsigned = SigV4Request(method: method.rawValue, path: path, query: query, headers: headers, body: Array(body))
        let signature = SigV4Signer(credentials: endpoint.credentials, scope: SigV4Scope(region: endpoint.region, service: "kinesisvideo"))
            .sign(unsigned, at: Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: endpoint.url + path + (query.isEmpty ? "" : "?" + SigV4Signer.encodeQuery(query)))
        request.method = method
        if !body.isEmpty {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        do {
            return try await http.execute(request, timeout: timeout ?? self.timeout)
        } catch {
            throw .transport("\(endpoint.url)\(path): \(error)")
        }
    }
}
