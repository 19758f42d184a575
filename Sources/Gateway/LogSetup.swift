import Logging
import PeerGateConfig

/// Bootstraps swift-log for the process from the `log` section: the level, and text
/// (swift-log's stream handler) or JSON lines on standard error.
public enum LogSetup {
    public static func bootstrap(_ log: PeerGateConfig.Log) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch log.format {
            case .text: handler = StreamLogHandler.standardError(label: label)
            case .json: handler = JSONLogHandler(label: label)
            }
            handler.logLevel = log.level
            return handler
        }
    }
}
