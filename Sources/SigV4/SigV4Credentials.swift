/// An access key pair that signs or verifies AWS Signature Version 4 requests.
public struct SigV4Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// A session token (`X-Amz-Security-Token`), signed along when present.
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Where a signature is valid: the region and service of the credential scope.
public struct SigV4Scope: Sendable, Equatable {
    public var region: String
    public var service: String

    public init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    /// `yyyymmdd/region/service/aws4_request`.
    func credentialScope(date: String) -> String {
        "\(date)/\(region)/\(service)/aws4_request"
    }
}
