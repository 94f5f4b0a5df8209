/// A calendar date with no time zone, as an operator writes it: `2026-12-24`.
///
/// Dates are counted as days since 1970-01-01 (proleptic Gregorian), so adding days, finding weekdays and
/// comparing are integer arithmetic, not calendar calls: expanding thousands of schedules stays cheap.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (`2026-02-29` is nil, `2028-02-29` is not).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, or `dd/MM/yyyy` as officers write dates (`30/12/2026`; `5/2/2027` too).
    public init(parsing text: String) throws(ConfigurationError) {
        guard let (year, month, day) = Self.fields(of: text) else {
            throw ConfigurationError(
                key: "date",
                value: text,
                problem: "is not a date; write dd/MM/yyyy or YYYY-MM-DD, e.g. 24/12/2026 or 2026-12-24"
            )
        }
        guard let date = LocalDate(year: year, month: month, day: day) else {
            throw ConfigurationError(key: "date", value: text, problem: "does not exist in the calendar")
        }
        self = date
    }

    /// Year, month and day from `YYYY-MM-DD` or `d/M/yyyy` (one or two digits for day and month), unchecked.
    private static func fields(of text: String) -> (year: Int, month: Int, day: Int)? {
        func number(_ part: Substring, digits: ClosedRange<Int>) -> Int? {
            guard digits.contains(part.count), part.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Int(part)
        }
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, let year = number(iso[0], digits: 4...4), let month = number(iso[1], digits: 2...2),
            let day = number(iso[2], digits: 2...2)
        {
            return (year, month, day)
        }
        let written = text.split(separator: "/", omittingEmptySubsequences: false)
        if written.count == 3, let day = number(written[0], digits: 1...2),
            let month = number(written[1], digits: 1...2), let year = number(written[2], digits: 4...4)
        {
            return (year, month, day)
        }
        return nil
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01. Howard Hinnant's `civil_from_days`.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// 1970-01-01 was a Thursday.
    public var weekday: Weekday { Weekday(rawValue: ((dayNumber % 7 + 7 + 3) % 7) + 1)! }

    public static func isLeapYear(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

extension LocalDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try LocalDate(parsing: text) } catch {
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
