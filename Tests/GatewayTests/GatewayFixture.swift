import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import PeerGateConfig
import Storage

/// A gateway environment over a fresh data directory, for router tests.
struct GatewayFixture {
    let directory: String
    let environment: GatewayEnvironment

    init(overrides: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "peergate-gw-\(UUID().uuidString)").path(percentEncoded: false)
        let config = try ConfigLoader.load(overrides: ["storage.dataDir=\(directory)"] + overrides)
        let database = try PeerGateDatabase.open(dataDir: directory, migrations: Migration.bundled())
        environment = try GatewayEnvironment(config: config, database: database, logger: Logger(label: "test"))
    }

    func application() -> some ApplicationProtocol {
        Application(router: GatewayRouter.make(environment))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
