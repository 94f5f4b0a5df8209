/// What the kit found for one rule.
public struct RuleOutcome: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        case pass
        case fail
        /// Not checkable with what was given (e.g. `audio.timing` without the receiver's playout journal).
        case skipped
    }

    public var rule: ConformanceRule
    public var verdict: Verdict
    /// What was seen, so a failure says what the receiver did instead.
    public var detail: String

    public init(rule: ConformanceRule, verdict: Verdict, detail: String) {
        self.rule = rule
        self.verdict = verdict
        self.detail = detail
    }
}
