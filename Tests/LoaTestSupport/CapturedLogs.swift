import Logging
import Synchronization

/// Log lines kept for a test: their messages (events) and everything they said, metadata included.
public final class CapturedLogs: Sendable {
    private let lines = Mutex<[(event: String, text: String)]>([])

    public init() {}

    public var logger: Logger {
        Logger(label: "loa.test.relay") { _ in Handler(owner: self) }
    }

    public var events: [String] { lines.withLock { $0.map(\.event) } }
    public var text: String { lines.withLock { $0.map(\.text).joined(separator: "\n") } }

    private struct Handler: LogHandler {
        let owner: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            owner.lines.withLock { $0.append((event.message.description, "\(event.message) \(all)")) }
        }
    }
}
