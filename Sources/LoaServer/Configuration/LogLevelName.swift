/// The log levels `--log-level` accepts; the same names as swift-log's `Logger.Level`.
public enum LogLevelName: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
