/// Signs requests with AWS Signature Version 4: an `Authorization` header (what the SDKs
/// and the AWS CLI send) or a presigned URL query (what WebSocket clients use).
public struct SigV4Signer: Sendable {
    public let credentials: SigV4Credentials
    public let scope: SigV4Scope

    public init(credentials: SigV4Credentials, scope: SigV4Scope) {
        self.credentials = credentials
        self.scope = scope
    }

    /// The result of signing: what to add to the request, and the intermediate texts.
    public struct Signature: Sendable {
        /// Headers to add: `X-Amz-Date`, `X-Amz-Security-Token` (with a session token),
        /// `X-Amz-Content-SHA256` (when asked for), `Authorization`.
        public var headers: [(name: String, value: String)]
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String

        public var authorization: String { headers.first { $0.name == "Authorization" }?.value ?? "" }
    }

    /// Signs every header of `request` plus the added `x-amz-*` headers.
    /// - Parameter includeContentHash: also send and sign `x-amz-content-sha256`.
    public func sign(_ request: SigV4Request, at seconds: Int, includeContentHash: Bool = false) -> Signature {
        let timestamp = SigV4Time.format(seconds)
        let payloadHash = CanonicalRequest.sha256Hex(request.body)
        var added: [(name: String, value: String)] = [("X-Amz-Date", timestamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        if includeContentHash { added.append(("X-Amz-Content-SHA256", payloadHash)) }
        var signed = request
        signed.headers += added
        let signedHeaders = Array(Set(signed.headers.map { $0.name.lowercased() })).sorted()
        let canonical = CanonicalRequest.text(signed, signedHeaders: signedHeaders, payloadHash: payloadHash)
        let date = String(timestamp.prefix(8))
        let stringToSign = SigningKey.stringToSign(timestamp: timestamp, credentialScope: scope.credentialScope(date: date), canonicalRequest: canonical)
        let signature = Hex.lower(SigningKey.signature(stringToSign, key: SigningKey.derive(secret: credentials.secretAccessKey, date: date, scope: scope)))
        let authorization = "\(SigningKey.algorithm) Credential=\(credentials.accessKeyId)/\(scope.credentialScope(date: date)), "
            + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
        return Signature(
            headers: added + [("Authorization", authorization)], canonicalRequest: canonical, stringToSign: stringToSign, signature: signature)
    }

    /// The query parameters of a presigned URL for a GET of `path` on `host`, signing only
    /// the `host` header with the hash of an empty payload (as the KVS SDKs presign their
    /// WebSocket URLs). Append them to `request.query`.
    /// - Parameter expires: seconds the URL stays valid (1 … 604800).
    public func presign(_ request: SigV4Request, at seconds: Int, expires: Int) -> [(name: String, value: String)] {
        let timestamp = SigV4Time.format(seconds)
        let date = String(timestamp.prefix(8))
        var parameters: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", SigningKey.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope.credentialScope(date: date))"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        var signed = request
        signed.query += parameters
        let canonical = CanonicalRequest.text(signed, signedHeaders: ["host"], payloadHash: CanonicalRequest.sha256Hex([]))
        let stringToSign = SigningKey.stringToSign(timestamp: timestamp, credentialScope: scope.credentialScope(date: date), canonicalRequest: canonical)
        let signature = Hex.lower(SigningKey.signature(stringToSign, key: SigningKey.derive(secret: credentials.secretAccessKey, date: date, scope: scope)))
        return parameters + [("X-Amz-Signature", signature)]
    }

    /// The whole query of a presigned URL — `request.query` followed by the signing
    /// parameters — percent-encoded, ready to follow `?`.
    public func presignedQuery(_ request: SigV4Request, at seconds: Int, expires: Int) -> String {
        Self.encodeQuery(request.query + presign(request, at: seconds, expires: expires))
    }

    /// Percent-encodes query parameters for a URL (the same encoding the signature uses).
    public static func encodeQuery(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { "\(CanonicalRequest.uriEncode($0.name))=\(CanonicalRequest.uriEncode($0.value))" }.joined(separator: "&")
    }
}
