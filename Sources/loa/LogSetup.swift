import LoaServer
import Logging

/// The executable is the only place that bootstraps logging; components receive a `Logger`.
enum LogSetup {
    static func bootstrap(level: LogLevelName, label: String = "loa") -> Logger {
        let level = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, level: level) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
