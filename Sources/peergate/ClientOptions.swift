import ArgumentParser
import Foundation
import KVSClient
import PeerGateConfig
import SigV4

/// How client commands (`channels`, `join`, `record` …) reach a peergate server: explicit
/// flags first, then the standard AWS environment variables, then the configuration and
/// the data directory of a server on this machine (`ports.json`, generated `credentials`).
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Server URL, e.g. https://gw.example.com (default: the local server of --data-dir).", valueName: "url"))
    var endpoint: String?

    @Option(name: .long, help: "SigV4 region (default: auth.region).")
    var region: String?

    @Option(name: .long, help: "Access key id (default: AWS_ACCESS_KEY_ID, auth.credentials[0], or <dataDir>/credentials).")
    var accessKeyId: String?

    @Option(name: .long, help: "Secret access key (default: AWS_SECRET_ACCESS_KEY, …).")
    var secretAccessKey: String?

    @Option(name: .long, help: ArgumentHelp("PEM certificate authority to trust (self-signed servers).", valueName: "file"))
    var caFile: String?

    @OptionGroup var config: ConfigOptions

    /// The endpoint and credentials to use.
    func resolve() throws -> KVSClient.Endpoint {
        let settings = try config.load()
        let environment = ProcessInfo.processInfo.environment
        let url = try endpoint ?? localEndpoint(settings)
        let id = accessKeyId ?? environment["AWS_ACCESS_KEY_ID"]
        let secret = secretAccessKey ?? environment["AWS_SECRET_ACCESS_KEY"]
        let credentials: SigV4Credentials
        if let id, let secret {
            credentials = SigV4Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
        } else if let configured = settings.auth.credentials.first {
            credentials = SigV4Credentials(accessKeyId: configured.accessKeyId, secretAccessKey: configured.secretAccessKey.value)
        } else if let generated = Self.sharedCredentials(file: (settings.storage.dataDir as NSString).appendingPathComponent("credentials")) {
            credentials = generated
        } else {
            throw ValidationError("no credentials: pass --access-key-id and --secret-access-key, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or configure auth.credentials")
        }
        return KVSClient.Endpoint(url: url, region: region ?? settings.auth.region, credentials: credentials, trustedCertificateFile: caFile)
    }

    /// The URL of a server running on this machine with this configuration.
    private func localEndpoint(_ settings: PeerGateConfig) throws -> String {
        if let publicURL = settings.http.publicURL { return publicURL }
        var port = settings.http.port
        let portsFile = (settings.storage.dataDir as NSString).appendingPathComponent("ports.json")
        if let data = FileManager.default.contents(atPath: portsFile),
            let ports = try? JSONDecoder().decode([String: Int].self, from: data), let bound = ports["http"]
        {
            port = bound
        }
        let host = settings.http.host == "0.0.0.0" ? "127.0.0.1" : settings.http.host == "::" ? "::1" : settings.http.host
        let scheme = settings.http.tls == nil ? "http" : "https"
        return "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The `[default]` keys of an AWS shared-credentials file.
    static func sharedCredentials(file: String) -> SigV4Credentials? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else { return nil }
        return SigV4Credentials(accessKeyId: id, secretAccessKey: secret)
    }

    /// Runs `body` with a client, shutting it down afterwards; service and transport
    /// failures become runtime failures (exit status 1) with the service's message.
    func withClient<T>(_ body: (KVSClient) async throws(KVSClient.Failure) -> T) async throws -> T {
        let client = try KVSClient(endpoint: try resolve())
        do throws(KVSClient.Failure) {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw RuntimeFailure(message: error.description)
        }
    }
}

/// Prints a value as the AWS CLI does: indented JSON with sorted keys.
func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) {
        print(String(decoding: data, as: UTF8.self))
    }
}
