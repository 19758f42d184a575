import Foundation
import Logging
import PeerGateConfig
import SigV4
import Storage

/// The SigV4 access keys and TURN secret this server uses: from the configuration, or —
/// when it leaves them empty — generated once, kept in the database and, for the access
/// key, written to `<dataDir>/credentials` (AWS shared-credentials format, mode 0600) so
/// the AWS CLI and boto3 can use it via `AWS_SHARED_CREDENTIALS_FILE`.
public struct ServerCredentials: Sendable {
    public let accessKeys: [SigV4Credentials]
    public let turnSecret: String

    /// The shared-credentials file of generated keys.
    public static func credentialsFile(dataDir: String) -> String {
        (dataDir as NSString).appendingPathComponent("credentials")
    }

    public init(config: PeerGateConfig, database: PeerGateDatabase, logger: Logger) throws {
        let secrets = ServerSecrets(database: database)
        if config.auth.credentials.isEmpty {
            let id = try secrets.value("sigv4_access_key_id") { "AKPG" + ServerSecrets.random(length: 16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") }
            let secret = try secrets.value("sigv4_secret_access_key") { ServerSecrets.random(length: 40) }
            accessKeys = [SigV4Credentials(accessKeyId: id, secretAccessKey: secret)]
            let file = Self.credentialsFile(dataDir: config.storage.dataDir)
            let text = "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n"
            if (try? String(contentsOfFile: file, encoding: .utf8)) != text {
                _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            }
            logger.notice(
                "auth.credentials is empty: using the generated access key", metadata: ["accessKeyId": "\(id)", "credentialsFile": "\(file)"])
        } else {
            accessKeys = config.auth.credentials.map { SigV4Credentials(accessKeyId: $0.accessKeyId, secretAccessKey: $0.secretAccessKey.value) }
        }
        turnSecret = try config.turn.secret?.value ?? secrets.value("turn_rest_secret") { ServerSecrets.random(length: 32) }
    }

    /// A verifier of requests signed with these keys for the `kinesisvideo` service.
    public func verifier(region: String) -> SigV4Verifier {
        let secrets = Dictionary(accessKeys.map { ($0.accessKeyId, $0.secretAccessKey) }) { first, _ in first }
        return SigV4Verifier(scope: SigV4Scope(region: region, service: "kinesisvideo")) { secrets[$0] }
    }
}
