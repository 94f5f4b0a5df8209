/// A date and time of day in a site's time zone, as in `--at "2026-12-24 19:30"`.
public struct LocalDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var date: LocalDate
    public var time: LocalTime

    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// Parses `YYYY-MM-DD HH:MM` (a `T` separator is accepted too) or `dd/MM/yyyy HH:MM` (`30/12/2026 19:30`).
    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.trimmingWhitespace().split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else {
            throw ConfigurationError(
                key: "date-time",
                value: text,
                problem:
                    "is not a date and time; write \"dd/MM/yyyy HH:MM\" or \"YYYY-MM-DD HH:MM\", e.g. \"24/12/2026 19:30\""
            )
        }
        self.init(date: try LocalDate(parsing: String(parts[0])), time: try LocalTime(parsing: String(parts[1])))
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }

    public var description: String { "\(date) \(time)" }
}
