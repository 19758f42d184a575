import ArgumentParser
import Gateway
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: control plane, signaling, STUN/TURN, recorders and publishers.",
        discussion: "Chosen ports are logged and written to <dataDir>/ports.json. SIGINT or SIGTERM shut down gracefully.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Create this signaling channel at start-up unless it exists (repeatable).", valueName: "name"))
    var createChannel: [String] = []

    func run() async throws {
        let config = try options.load()
        LogSetup.bootstrap(config.log)
        let logger = Logger(label: "peergate")
        logger.notice("starting", metadata: ["version": "\(PeerGateVersion.current)", "dataDir": "\(config.storage.dataDir)"])
        do {
            try await GatewayServer(config: config, logger: logger, channelsToCreate: createChannel).run()
        } catch {
            logger.critical("stopped on error", metadata: ["error": "\(error)"])
            throw RuntimeFailure(message: "\(error)")
        }
    }
}
