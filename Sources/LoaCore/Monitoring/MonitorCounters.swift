/// Running totals since the monitor started, for `GET /metrics`.
public struct MonitorCounters: Sendable, Hashable, Codable {
    /// Valid messages by kind: `status`, `telemetry`, `events`.
    public var messages: [String: Int] = [:]
    /// Messages with a problem, by problem (`InputProblem` raw values).
    public var problems: [String: Int] = [:]
    /// Alerts by kind.
    public var alerts: [String: Int] = [:]
    /// State transitions by the state entered.
    public var transitions: [String: Int] = [:]
    /// Underruns: increases of telemetry's `underruns` plus `underrun` events.
    public var underruns = 0

    public init() {}
}

/// What the monitor's caller must do after feeding it: store transitions, send alerts, log first-time
/// problems.
public struct MonitorOutput: Sendable, Hashable {
    public var transitions: [ReceiverTransition] = []
    public var alerts: [ReceiverAlert] = []
    /// Problems with network input seen for the first time from their source: log these (each once).
    public var notices: [InputNotice] = []

    public init() {}

    public var isEmpty: Bool { transitions.isEmpty && alerts.isEmpty && notices.isEmpty }

    public mutating func append(_ other: MonitorOutput) {
        transitions += other.transitions
        alerts += other.alerts
        notices += other.notices
    }
}

/// A problem with a message from the network, to be logged once per source and problem.
public struct InputNotice: Sendable, Hashable {
    /// The receiver id from the topic, or the topic itself (cut to 80 characters) when it has no valid id.
    public var source: String
    public var problem: InputProblem
    public var detail: String

    public init(source: String, problem: InputProblem, detail: String) {
        self.source = source
        self.problem = problem
        self.detail = detail
    }
}
