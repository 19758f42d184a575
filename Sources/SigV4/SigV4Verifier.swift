import Crypto

/// Verifies AWS Signature Version 4 on incoming requests, in both forms: the
/// `Authorization: AWS4-HMAC-SHA256 …` header and the presigned query
/// (`X-Amz-Signature=…`), against the configured access keys.
///
/// Rules: the credential scope must name this region and service and the request's date;
/// the request time must be within ±`allowedSkew` seconds of now (presigned: not before its
/// date minus the skew, and not after date + `X-Amz-Expires`); every header the signature
/// lists must be present, and `host` must be among them; signatures compare in constant
/// time. A session token (`X-Amz-Security-Token`) is covered by the signature when sent
/// but not otherwise checked: peergate issues only static keys.
public struct SigV4Verifier: Sendable {
    public let scope: SigV4Scope
    public let allowedSkew: Int
    private let secrets: @Sendable (String) -> String?

    /// - Parameter secrets: the secret access key of an access key id, nil when unknown.
    public init(scope: SigV4Scope, allowedSkew: Int = 300, secrets: @escaping @Sendable (String) -> String?) {
        self.scope = scope
        self.allowedSkew = allowedSkew
        self.secrets = secrets
    }

    /// The access key id that signed the request, by whichever form it carries.
    public func verify(_ request: SigV4Request, now: Int) throws(SigV4Failure) -> String {
        if request.values(of: "authorization").first != nil {
            return try verifyAuthorizationHeader(request, now: now)
        }
        if request.queryValue("X-Amz-Signature") != nil {
            return try verifyPresigned(request, now: now)
        }
        throw SigV4Failure(.missing, "the request is not signed: send an AWS Signature Version 4 Authorization header or a presigned URL")
    }

    /// Verifies the `Authorization` header form.
    public func verifyAuthorizationHeader(_ request: SigV4Request, now: Int) throws(SigV4Failure) -> String {
        let header = request.values(of: "authorization").first ?? ""
        let fields = try AuthorizationHeader(parsing: header)
        guard let timestampText = request.values(of: "x-amz-date").first else {
            throw SigV4Failure(.malformed, "the X-Amz-Date header is missing")
        }
        guard let timestamp = SigV4Time.parse(timestampText) else {
            throw SigV4Failure(.malformed, "X-Amz-Date \"\(timestampText)\" is not yyyyMMddTHHmmssZ")
        }
        guard abs(now - timestamp) <= allowedSkew else {
            throw SigV4Failure(.clockSkew, "the request time \(timestampText) is more than \(allowedSkew / 60) minutes from the server time \(SigV4Time.format(now))")
        }
        let payloadHash = request.values(of: "x-amz-content-sha256").first ?? CanonicalRequest.sha256Hex(request.body)
        try check(request, credential: fields.credential, signedHeaders: fields.signedHeaders, timestamp: timestampText, payloadHashes: [payloadHash], signature: fields.signature)
        return fields.credential.accessKeyId
    }

    /// Verifies the presigned query form (WebSocket URLs).
    public func verifyPresigned(_ request: SigV4Request, now: Int) throws(SigV4Failure) -> String {
        func parameter(_ name: String) throws(SigV4Failure) -> String {
            guard let value = request.queryValue(name) else { throw SigV4Failure(.malformed, "the presigned URL lacks \(name)") }
            return value
        }
        guard try parameter("X-Amz-Algorithm") == SigningKey.algorithm else {
            throw SigV4Failure(.malformed, "X-Amz-Algorithm must be \(SigningKey.algorithm)")
        }
        let credential = try CredentialField(parsing: try parameter("X-Amz-Credential"))
        let timestampText = try parameter("X-Amz-Date")
        guard let timestamp = SigV4Time.parse(timestampText) else {
            throw SigV4Failure(.malformed, "X-Amz-Date \"\(timestampText)\" is not yyyyMMddTHHmmssZ")
        }
        guard let expires = Int(try parameter("X-Amz-Expires")), (1...604_800).contains(expires) else {
            throw SigV4Failure(.malformed, "X-Amz-Expires must be a number of seconds in 1...604800")
        }
        guard now >= timestamp - allowedSkew else {
            throw SigV4Failure(.clockSkew, "the presigned URL is dated \(timestampText), in the future of the server time \(SigV4Time.format(now))")
        }
        guard now <= timestamp + expires else {
            throw SigV4Failure(.expired, "the presigned URL expired at \(SigV4Time.format(timestamp + expires)) (server time \(SigV4Time.format(now)))")
        }
        let signedHeaders = try parameter("X-Amz-SignedHeaders").split(separator: ";").map(String.init)
        // SDKs presign with the hash of the empty body or with UNSIGNED-PAYLOAD: both stand for a GET without body.
        try check(
            request, credential: credential, signedHeaders: signedHeaders, timestamp: timestampText,
            payloadHashes: [CanonicalRequest.sha256Hex([]), "UNSIGNED-PAYLOAD"], signature: try parameter("X-Amz-Signature"),
            excludingQuery: "X-Amz-Signature")
        return credential.accessKeyId
    }

    private func check(
        _ request: SigV4Request, credential: CredentialField, signedHeaders: [String], timestamp: String,
        payloadHashes: [String], signature: String, excludingQuery: String? = nil
    ) throws(SigV4Failure) {
        guard credential.region == scope.region, credential.service == scope.service else {
            throw SigV4Failure(.scopeMismatch, "the credential scope \(credential.region)/\(credential.service) does not match this server's \(scope.region)/\(scope.service)")
        }
        guard credential.date == timestamp.prefix(8) else {
            throw SigV4Failure(.scopeMismatch, "the credential scope date \(credential.date) does not match the request date \(timestamp.prefix(8))")
        }
        guard signedHeaders.contains("host") else {
            throw SigV4Failure(.malformed, "the signed headers must include host")
        }
        for name in signedHeaders where request.values(of: name).isEmpty {
            throw SigV4Failure(.malformed, "the signed header \(name) is missing from the request")
        }
        guard let secret = secrets(credential.accessKeyId) else {
            throw SigV4Failure(.unknownAccessKey, "the access key id \(credential.accessKeyId) is not known to this server")
        }
        guard let provided = Hex.decode(signature), provided.count == 32 else {
            throw SigV4Failure(.malformed, "the signature is not 64 hexadecimal digits")
        }
        let key = SigningKey.derive(secret: secret, date: credential.date, scope: scope)
        let credentialScope = scope.credentialScope(date: credential.date)
        for payloadHash in payloadHashes {
            let canonical = CanonicalRequest.text(request, signedHeaders: signedHeaders, payloadHash: payloadHash, excludingQuery: excludingQuery)
            let expected = SigningKey.signature(SigningKey.stringToSign(timestamp: timestamp, credentialScope: credentialScope, canonicalRequest: canonical), key: key)
            if SigningKey.constantTimeEquals(expected, provided) { return }
        }
        throw SigV4Failure(.signatureMismatch, "the request signature does not match: check the secret access key and the signing method")
    }
}

extension Hex {
    /// Bytes of hexadecimal text (either case); nil when not hex.
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
