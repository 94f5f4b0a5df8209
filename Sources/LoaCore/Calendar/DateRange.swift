/// Consecutive days, both ends included, as an officer types them for days off or a validity:
/// `2027-02-05..2027-02-10` or `05/02/2027..10/02/2027`.
///
/// A range is at most `maximumDays` long: a longer one is almost always a typo in the year (`2027..2028`), and a
/// schedule's validity (`--from`/`--until`) is the tool for long spans.
public struct DateRange: Sendable, Hashable, CustomStringConvertible {
    public let first: LocalDate
    public let last: LocalDate

    /// A year, leap day included.
    public static let maximumDays = 366

    /// A range of `first` through `last`, or nil when it is reversed or longer than `maximumDays`.
    public init?(first: LocalDate, last: LocalDate) {
        guard first <= last, last.dayNumber - first.dayNumber + 1 <= Self.maximumDays else { return nil }
        self.first = first
        self.last = last
    }

    /// A one-day range.
    public init(_ day: LocalDate) {
        first = day
        last = day
    }

    /// Parses `FIRST..LAST`, each side `YYYY-MM-DD` or `dd/MM/yyyy`; a single date is a one-day range.
    public init(parsing text: String) throws(ConfigurationError) {
        let trimmed = text.trimmingWhitespace()
        guard let separator = trimmed.firstRange(of: "..") else {
            self = DateRange(try LocalDate(parsing: trimmed))
            return
        }
        let first = try LocalDate(parsing: String(trimmed[..<separator.lowerBound]).trimmingWhitespace())
        let last = try LocalDate(parsing: String(trimmed[separator.upperBound...]).trimmingWhitespace())
        guard first <= last else {
            throw ConfigurationError(
                key: "date range",
                value: text,
                problem: "ends before it begins; write the earlier day first, as \(last)..\(first)"
            )
        }
        let days = last.dayNumber - first.dayNumber + 1
        guard days <= Self.maximumDays else {
            throw ConfigurationError(
                key: "date range",
                value: text,
                problem:
                    "spans \(days) days, more than a year (\(Self.maximumDays) days); check the years, split it into"
                    + " ranges of a year at most, or give a schedule's validity with --from and --until"
            )
        }
        self.first = first
        self.last = last
    }

    /// How many days, both ends counted.
    public var count: Int { last.dayNumber - first.dayNumber + 1 }

    /// Every day, first to last.
    public var dates: [LocalDate] { (0..<count).map { first.adding(days: $0) } }

    public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }

    /// `2027-02-05..2027-02-10`; one day is written alone.
    public var description: String { first == last ? "\(first)" : "\(first)..\(last)" }
}

/// Stored and sent as its text, `2027-02-05..2027-02-10`, so a one-day range is a plain date: skip dates stored or
/// sent as dates before ranges existed read as one-day ranges.
extension DateRange: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try DateRange(parsing: text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
