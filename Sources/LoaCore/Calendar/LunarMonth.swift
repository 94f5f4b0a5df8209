/// One month of the Vietnamese lunar calendar as it falls in the Gregorian one: tháng Giêng 2027 is the 30 days
/// from 2027-02-06.
public struct LunarMonth: Sendable, Hashable, CustomStringConvertible {
    /// The lunar year the month belongs to (months 11 and 12 belong to the year before the Tết that follows them).
    public let year: Int
    /// 1–12; a leap month has the number of the month it repeats.
    public let number: Int
    public let isLeap: Bool
    /// Mùng 1: the local day (UTC+7) of the new moon.
    public let firstDay: LocalDate
    /// 29 or 30: a lunar month has no fixed length, the next new moon decides.
    public let length: Int

    public var lastDay: LocalDate { firstDay.adding(days: length - 1) }

    /// Every day of the month, mùng 1 first.
    public var dates: [LocalDate] { (0..<length).map { firstDay.adding(days: $0) } }

    /// Day `day` (1–30) of the month, or nil when the month is shorter (a 30th in a 29-day month).
    public func date(ofDay day: Int) -> LocalDate? {
        (1...length).contains(day) ? firstDay.adding(days: day - 1) : nil
    }

    public func contains(_ date: LocalDate) -> Bool { firstDay <= date && date <= lastDay }

    /// `tháng 8/2027 âm lịch`, `tháng 5 nhuận/2028 âm lịch`.
    public var description: String { "tháng \(number)\(isLeap ? " nhuận" : "")/\(year) âm lịch" }
}
