/// Days of the lunar year that recur every year, both ends included: Tết from the 29th of tháng Chạp to mùng 5 tháng
/// Giêng is `29/12..5/1`; one day, such as Giỗ Tổ Hùng Vương, is `10/3`.
///
/// A span that ends before it begins in the year's order (`29/12..5/1`) runs over the new year. Each year's span is
/// found from its end, in the ordinary month of that number, back to the latest day matching its start:
/// - a leap month is counted where it lies, so in a year with a leap tháng Chạp, Tết's span begins in the leap month
///   that Tết follows, and a yearly span within month 5 of a year that repeats month 5 airs in the ordinary month only
///   (as festivals are kept);
/// - a 30th in a month of 29 days is that month's last day: `30/12..5/1` begins on the eve of Tết (giao thừa) whether
///   tháng Chạp has 29 or 30 days.
public struct LunarSpan: Sendable, Hashable, CustomStringConvertible {
    public let firstMonth: Int
    public let firstDay: Int
    public let lastMonth: Int
    public let lastDay: Int

    /// A span, or nil when a month is outside 1–12 or a day outside 1–30.
    public init?(firstMonth: Int, firstDay: Int, lastMonth: Int, lastDay: Int) {
        guard (1...12).contains(firstMonth), (1...12).contains(lastMonth), (1...30).contains(firstDay),
            (1...30).contains(lastDay)
        else { return nil }
        self.firstMonth = firstMonth
        self.firstDay = firstDay
        self.lastMonth = lastMonth
        self.lastDay = lastDay
    }

    /// Parses `D/M..D/M` (`29/12..5/1`), or one day `D/M` (`10/3`).
    public init(parsing text: String) throws(ConfigurationError) {
        func refuse(_ problem: String) -> ConfigurationError {
            ConfigurationError(key: "lunar span", value: text, problem: problem)
        }
        func dayMonth(_ part: Substring) throws(ConfigurationError) -> (day: Int, month: Int) {
            let fields = String(part).trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
            guard fields.count == 2,
                fields.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { ("0"..."9").contains($0) } }),
                let day = Int(fields[0]), let month = Int(fields[1])
            else {
                throw refuse(
                    "is not a lunar day and month; write D/M..D/M, e.g. 29/12..5/1 for Tết, or one day as 10/3"
                )
            }
            return (day, month)
        }
        let trimmed = text.trimmingWhitespace()
        let first: (day: Int, month: Int)
        let last: (day: Int, month: Int)
        if let separator = trimmed.firstRange(of: "..") {
            first = try dayMonth(trimmed[..<separator.lowerBound])
            last = try dayMonth(trimmed[separator.upperBound...])
        } else {
            first = try dayMonth(trimmed[...])
            last = first
        }
        guard
            let span = LunarSpan(firstMonth: first.month, firstDay: first.day, lastMonth: last.month, lastDay: last.day)
        else { throw refuse("is out of range: a lunar month is 1–12 and a day 1–30") }
        self = span
    }

    /// Whether it runs over the new year: its last day comes before its first in the year's order.
    public var crossesNewYear: Bool { (lastMonth, lastDay) < (firstMonth, firstDay) }

    /// The Gregorian days of the span that ends in lunar year `year` (Tết 2027's span for 2027), or nil outside the
    /// calendar's years.
    public func dates(endingInYear year: Int) -> ClosedRange<LocalDate>? {
        guard let endMonth = VietnameseLunarCalendar.month(lastMonth, ofYear: year) else { return nil }
        let end = endMonth.firstDay.adding(days: Swift.min(lastDay, endMonth.length) - 1)
        let startYear = crossesNewYear ? year - 1 : year
        // The leap month comes after the ordinary one: the latest start on or before the end is tried first.
        for isLeap in [true, false] {
            guard let month = VietnameseLunarCalendar.month(firstMonth, ofYear: startYear, isLeap: isLeap) else {
                continue
            }
            let start = month.firstDay.adding(days: Swift.min(firstDay, month.length) - 1)
            if start <= end { return start...end }
        }
        return nil
    }

    /// `29/12..5/1`; one day is written alone, `10/3`.
    public var description: String {
        let first = "\(firstDay)/\(firstMonth)"
        return firstMonth == lastMonth && firstDay == lastDay ? first : "\(first)..\(lastDay)/\(lastMonth)"
    }
}

extension LunarSpan: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try LunarSpan(parsing: text) } catch {
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
