import LoaCore

/// How many `command.rejected` reports a receiver sends: a burst of `burst`, then `perMinute` a minute. A flood
/// of forged commands must not become a flood of reports over a metered 4G uplink (1,000 forged commands gave
/// 1,001 reports); the first report after a pause says how many it left out.
struct RejectionReportBudget: Sendable {
    let burst: Double
    let perSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?
    /// Rejections not reported since the last report.
    private(set) var suppressed = 0

    init(burst: Int = 10, perMinute: Int = 10) {
        self.burst = Double(burst)
        self.perSecond = Double(perMinute) / 60
        self.tokens = Double(burst)
    }

    /// Whether a rejection at `now` may be reported; when it may, how many were left out before it.
    mutating func take(at now: ContinuousClock.Instant) -> (report: Bool, leftOut: Int) {
        if let last {
            tokens = min(burst, tokens + (now - last).timeInterval * perSecond)
        }
        last = now
        guard tokens >= 1 else {
            suppressed += 1
            return (false, 0)
        }
        tokens -= 1
        defer { suppressed = 0 }
        return (true, suppressed)
    }
}
