/// The health of one part of the daemon (broker link, audio output, store), as `GET /healthz` reports it.
public struct ComponentHealth: Codable, Sendable, Hashable {
    public enum Condition: String, Codable, Sendable {
        /// Working.
        case ok
        /// Switched off by configuration (e.g. `--audio-device none`); not a fault.
        case disabled
        /// Not working; the daemon cannot do its job.
        case failed
    }

    public var condition: Condition
    /// A few words for the summary line: "connected", "disconnected (connection refused)", "ok".
    public var summary: String
    /// Detail for the operator: the device name, the broker address, the database path.
    public var detail: String?

    public init(condition: Condition, summary: String, detail: String? = nil) {
        self.condition = condition
        self.summary = summary
        self.detail = detail
    }
}
