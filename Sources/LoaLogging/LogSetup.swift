import Logging

/// The executables (`loa`, `loa-receiver`) are the only places that bootstraps logging; components receive a `Logger`.
public enum LogSetup {
    public static func bootstrap(level: Logger.Level, label: String = "loa") -> Logger {
        LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, level: level) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
