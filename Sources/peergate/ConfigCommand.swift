import ArgumentParser

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [CheckCommand.self])

    struct CheckCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the configuration and print the effective settings, secrets masked.",
            discussion: "Exits 2 naming every refused key when the configuration is invalid.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            print(config.yaml(), terminator: "")
        }
    }
}
