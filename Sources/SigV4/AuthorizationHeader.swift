/// The fields of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct AuthorizationHeader {
    let credential: CredentialField
    let signedHeaders: [String]
    let signature: String

    init(parsing header: String) throws(SigV4Failure) {
        let prefix = SigningKey.algorithm + " "
        guard header.hasPrefix(prefix) else {
            throw SigV4Failure(.malformed, "the Authorization header must start with \(SigningKey.algorithm)")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst(prefix.count).split(separator: ",") {
            let pair = part.trimming(" ").split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw SigV4Failure(.malformed, "the Authorization header is malformed") }
            fields[String(pair[0])] = String(pair[1])
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"], let signature = fields["Signature"] else {
            throw SigV4Failure(.malformed, "the Authorization header needs Credential, SignedHeaders and Signature")
        }
        self.credential = try CredentialField(parsing: credential)
        self.signedHeaders = signedHeaders.split(separator: ";").map(String.init)
        self.signature = signature
    }
}

/// `AKID/yyyymmdd/region/service/aws4_request`.
struct CredentialField {
    let accessKeyId: String
    let date: String
    let region: String
    let service: String

    init(parsing text: String) throws(SigV4Failure) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", parts[1].count == 8, !parts[0].isEmpty else {
            throw SigV4Failure(.malformed, "the credential must be accessKeyId/yyyymmdd/region/service/aws4_request")
        }
        accessKeyId = parts[0]
        date = parts[1]
        region = parts[2]
        service = parts[3]
    }
}

extension StringProtocol {
    func trimming(_ characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
