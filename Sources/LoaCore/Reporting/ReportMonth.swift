/// A calendar month a report covers (`2026-12`), and its span in the site's time zone: a broadcast planned at
/// 23:30 on 31/12 in Hồ Chí Minh City belongs to December even though it is 16:30 UTC.
public struct ReportMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1…12.
    public let month: Int

    /// - Throws: `OperationError(.invalid)` when `month` is outside 1…12 or `year` outside 2000…9999.
    public init(year: Int, month: Int) throws(OperationError) {
        guard (1...12).contains(month), (2000...9999).contains(year) else {
            throw OperationError(.invalid, "month \(year)-\(month) must be YYYY-MM, with a year from 2000")
        }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` (`2026-12`).
    /// - Throws: `OperationError(.invalid)` naming the text when it is not one.
    public init(parsing text: String) throws(OperationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else {
            throw OperationError(.invalid, "month '\(text)' must be YYYY-MM, e.g. 2026-12")
        }
        try self.init(year: year, month: month)
    }

    /// The month `instant` falls in, in `timeZone`.
    public init(containing instant: Date, in timeZone: TimeZone) {
        let parts = Self.calendar(timeZone).dateComponents([.year, .month], from: instant)
        year = parts.year ?? 2000
        month = parts.month ?? 1
    }

    /// `2026-12`.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public var previous: ReportMonth {
        month == 1 ? Self(unchecked: year - 1, 12) : Self(unchecked: year, month - 1)
    }

    public var next: ReportMonth {
        month == 12 ? Self(unchecked: year + 1, 1) : Self(unchecked: year, month + 1)
    }

    /// From local midnight on the 1st to local midnight on the next month's 1st, in `timeZone`.
    public func interval(in timeZone: TimeZone) -> DateInterval {
        let calendar = Self.calendar(timeZone)
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? .distantPast
        let end = calendar.date(from: DateComponents(year: next.year, month: next.month, day: 1)) ?? .distantFuture
        return DateInterval(start: start, end: end)
    }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
