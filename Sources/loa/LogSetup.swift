import Logging

/// The executable is the only place that bootstraps logging; components receive a `Logger`.
enum LogSetup {
    static func bootstrap(level: Logger.Level, label: String = "loa") -> Logger {
        LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, level: level) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
