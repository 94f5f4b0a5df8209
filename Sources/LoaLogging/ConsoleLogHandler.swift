import Logging
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Log lines on stderr in the form journald and a terminal each read best.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog priority (`<3>`), so the journal
/// keeps levels and no timestamp is repeated; on a terminal it is `time level message key=value…`. Metadata
/// keys are dotted (`mqtt.host`); values are quoted when they hold spaces. Secrets never reach a logger.
public struct ConsoleLogHandler: LogHandler {
    public enum Style: Sendable {
        case journal
        case terminal
    }

    public let label: String
    public let style: Style
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// One line at a time on stderr, so lines from several threads never interleave.
    static let output = Mutex(())

    public init(label: String, level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment)
    {
        self.label = label
        self.logLevel = level
        self.style = environment["JOURNAL_STREAM"] != nil ? .journal : .terminal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = Self.format(
            style: style,
            level: event.level,
            message: "\(event.message)",
            metadata: merged,
            date: Date()
        )
        let bytes = Array((line + "\n").utf8)
        Self.output.withLock { _ in Self.writeToStandardError(bytes) }
    }

    public static func format(
        style: Style,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        date: Date
    ) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted("\($0.value)"))" }
        let text = String(([message] + fields).joined(separator: " ").map { $0.isNewline ? " " : $0 })
        switch style {
        case .journal:
            return "<\(priority(of: level))>\(text)"
        case .terminal:
            return
                "\(date.formatted(.iso8601.time(includingFractionalSeconds: true))) \(level.rawValue.uppercased()) \(text)"
        }
    }

    /// write(2) until the whole line is out (or stderr is gone: a log line is never worth a crash).
    private static func writeToStandardError(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// syslog(3) priorities, as journald reads them from a `<N>` prefix.
    static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(" ") || value.isEmpty else { return value }
        return "\"" + value.flatMap { $0 == "\"" ? ["\\", "\""] : [$0] } + "\""
    }
}
