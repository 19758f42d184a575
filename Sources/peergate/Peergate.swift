import ArgumentParser
import Foundation
import Gateway
import Media
import PeerGateConfig

/// The `peergate` command line: exit 0 on success, 1 on a runtime failure, 2 on bad usage
/// or a refused configuration (DESIGN.md §5).
@main
struct Peergate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peergate",
        abstract: "Self-hosted WebRTC signaling (KVS-compatible), STUN/TURN and media gateway.",
        version: PeerGateVersion.current,
        subcommands: [ServeCommand.self, MigrateCommand.self, ConfigCommand.self, ChannelsCommand.self, BenchCommand.self, WebRTCProbeCommand.self, JoinCommand.self, RecordCommand.self, PublishCommand.self, RecordingsCommand.self])

    static func main() async {
        MediaLibraryLog.errorsOnly()
        ProcessLimits.raiseOpenFileLimit()
        ProcessAllocator.keepFreedMemory(environment: ProcessInfo.processInfo.environment)
        let code: Int32
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            code = 0
        } catch {
            code = report(error)
        }
        Foundation.exit(code)
    }

    /// Prints an error the way its kind deserves and returns the exit status.
    private static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as ConfigurationError:
            printError("peergate: \(error)")
            return ExitStatus.usage
        case let error as RuntimeFailure:
            printError("peergate: \(error.message)")
            return ExitStatus.failure
        default:
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return ExitStatus.success
            }
            if !message.isEmpty { printError(message) }
            // ArgumentParser reports bad usage as EX_USAGE (64); peergate's contract is 2.
            return code == .validationFailure ? ExitStatus.usage : ExitStatus.failure
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Exit statuses of every `peergate` command.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// A failure while running (not a usage or configuration error): exit status 1.
struct RuntimeFailure: Error {
    let message: String
}
