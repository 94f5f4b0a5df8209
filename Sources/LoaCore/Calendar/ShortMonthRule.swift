/// What a monthly rule does in a month too short for its day: `--monthly 31@08:00` in April, `--lunar 30@05:00` in a
/// lunar month of 29 days. The operator chooses, and the schedule keeps the choice, rather than the months passing in
/// silence.
public enum ShortMonthRule: String, Codable, Sendable, Hashable, CaseIterable {
    /// Such months have no airing.
    case skip
    /// Such months air on their last day (the 30th of April, the 28th or 29th of February, a lunar 29th).
    case last

    /// Parses `skip` or `last`, as `--short-months` takes it.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let rule = ShortMonthRule(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw ConfigurationError(
                key: "--short-months",
                value: text,
                problem: "must be skip (no airing in months without the day) or last (their last day instead)"
            )
        }
        self = rule
    }
}
