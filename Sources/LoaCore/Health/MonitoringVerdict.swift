/// A health check's result in the monitoring-plugin convention (Nagios, Icinga, Zabbix):
/// exit code 0/1/2/3 and one line `LOA STATUS - summary | perfdata`.
public struct MonitoringVerdict: Sendable, Hashable {
    public enum Status: Int32, Sendable, Comparable {
        case ok = 0
        case warning = 1
        case critical = 2
        case unknown = 3

        public var label: String {
            switch self {
            case .ok: "OK"
            case .warning: "WARNING"
            case .critical: "CRITICAL"
            case .unknown: "UNKNOWN"
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var status: Status
    public var summary: String
    public var perfdata: [String]

    public init(status: Status, summary: String, perfdata: [String] = []) {
        self.status = status
        self.summary = summary
        self.perfdata = perfdata
    }

    /// The plugin's output line.
    public var line: String {
        let head = "LOA \(status.label) - \(summary)"
        return perfdata.isEmpty ? head : "\(head) | \(perfdata.joined(separator: " "))"
    }

    /// Judges a daemon's health report: any failed component is CRITICAL; a warning (a broadcast that did not
    /// play everywhere, a refused reload) is a WARNING.
    public init(judging report: HealthReport) {
        let parts: [(String, ComponentHealth)] = [
            ("broker", report.broker), ("audio", report.audio), ("store", report.store),
        ]
        let warnings = report.warnings ?? []
        let status: Status =
            parts.contains { $0.1.condition == .failed } ? .critical : warnings.isEmpty ? .ok : .warning
        // Failed parts first, then warnings, so a truncated line in a monitoring UI still shows what is wrong.
        let ordered = parts.filter { $0.1.condition == .failed } + parts.filter { $0.1.condition != .failed }
        let failed = ordered.prefix { $0.1.condition == .failed }.map { "\($0.0) \($0.1.summary)" }
        let working = ordered.dropFirst(failed.count).map { "\($0.0) \($0.1.summary)" }
        let counts = report.receivers
        self.init(
            status: status,
            summary: (failed + warnings + working).joined(separator: ", "),
            perfdata: [
                "receivers_online=\(counts.online);;;0;\(counts.total)",
                "receivers_offline=\(counts.offline);;;0;\(counts.total)",
                "receivers_lost=\(counts.lost);;;0;\(counts.total)",
            ]
        )
    }

    /// The daemon could not be asked at all.
    public static func unreachable(_ url: String, reason: String) -> MonitoringVerdict {
        MonitoringVerdict(status: .critical, summary: "daemon unreachable at \(url) (\(reason))")
    }
}
