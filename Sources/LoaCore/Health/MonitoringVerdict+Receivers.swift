extension MonitoringVerdict {
    /// Judges a health report, receivers included: the daemon's parts as in `init(judging:)`, and the
    /// receivers offline or lost against `policy`. The worst of both wins; what is wrong comes first.
    public init(judging report: HealthReport, receivers policy: ReceiverHealthPolicy) {
        let parts = MonitoringVerdict(judging: report)
        let counts = report.receivers
        let receiverStatus = policy.judge(counts)
        let down = counts.offline + counts.lost
        var text: String
        if counts.total == 0 {
            text = ""
        } else if down > 0 {
            let shown = counts.down.prefix(5).joined(separator: ", ")
            let more = down > min(5, counts.down.count) ? " and \(down - min(5, counts.down.count)) more" : ""
            var kinds: [String] = []
            if counts.offline > 0 { kinds.append("\(counts.offline) offline") }
            if counts.lost > 0 { kinds.append("\(counts.lost) lost") }
            text = "\(down) of \(counts.total) receivers down: \(kinds.joined(separator: ", ")) (\(shown)\(more))"
        } else {
            var extra: [String] = []
            if counts.degraded > 0 { extra.append("\(counts.degraded) degraded") }
            if counts.unknown > 0 { extra.append("\(counts.unknown) never seen") }
            text =
                "\(counts.online) of \(counts.total) receivers online"
                + (extra.isEmpty ? "" : " (\(extra.joined(separator: ", ")))")
        }
        if !counts.misclocked.isEmpty {
            text += "; clock off by seconds, missing broadcasts: \(counts.misclocked.prefix(5).joined(separator: ", "))"
        }
        // With no inventory there is nothing to say about receivers, and the line stays the daemon's own.
        let summary =
            text.isEmpty
            ? parts.summary : receiverStatus > parts.status ? "\(text), \(parts.summary)" : "\(parts.summary), \(text)"
        let critical = policy.criticalThreshold(total: counts.total)
        self.init(
            status: max(parts.status, receiverStatus),
            summary: summary,
            perfdata: parts.perfdata + [
                "receivers_degraded=\(counts.degraded);;;0;\(counts.total)",
                "receivers_down=\(down);\(policy.warnDown);\(critical);0;\(counts.total)",
            ]
        )
    }
}
