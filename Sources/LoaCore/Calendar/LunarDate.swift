/// A day of the Vietnamese lunar calendar (âm lịch): rằm tháng Tám is day 15 of month 8.
///
/// A value only checks its ranges; whether the day exists (a 30th in a 29-day month, a leap month in a year
/// without one) is for `VietnameseLunarCalendar.date(of:)` to say.
///
/// Two written forms:
/// - `description`, as people read it: `15/8/2027 âm lịch`, and for a leap month `15/5 nhuận/2028 âm lịch`;
/// - `code`, for files, flags and the API, sorting as the days do: `L2027-08-15`, and for a leap month a `+`
///   after the month, `L2028-05+-15` (the leap month follows the ordinary month of the same number).
public struct LunarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The lunar year: the one whose mùng 1 tháng Giêng (Tết) begins it, e.g. 2027 from 2027-02-06.
    public let year: Int
    public let month: Int
    public let day: Int
    /// The repeated month (tháng nhuận) that some years have, which follows the ordinary month of the same number.
    public let isLeapMonth: Bool

    public init?(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...30).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    /// Parses the `code` form: `L2027-08-15`, `L2028-05+-15` (one-digit month and day are accepted).
    public init(parsing text: String) throws(ConfigurationError) {
        func refuse(_ problem: String) -> ConfigurationError {
            ConfigurationError(key: "lunar date", value: text, problem: problem)
        }
        let form =
            "is not a lunar date; write LYYYY-MM-DD, e.g. L2027-08-15 for rằm tháng Tám, L2028-05+-15 in a leap month"
        guard text.first == "L" || text.first == "l" else { throw refuse(form) }
        let parts = text.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]) else { throw refuse(form) }
        let isLeap = parts[1].hasSuffix("+")
        let monthText = isLeap ? parts[1].dropLast() : parts[1]
        guard (1...2).contains(monthText.count), (1...2).contains(parts[2].count),
            monthText.allSatisfy(\.isASCIIDigit), parts[2].allSatisfy(\.isASCIIDigit),
            let month = Int(monthText), let day = Int(parts[2])
        else { throw refuse(form) }
        guard let date = LunarDate(year: year, month: month, day: day, isLeapMonth: isLeap) else {
            throw refuse("is out of range: a lunar month is 1–12 and a day 1–30")
        }
        self = date
    }

    /// The machine form: `L2027-08-15`, `L2028-05+-15`.
    public var code: String {
        "L\(Self.pad(year, 4))-\(Self.pad(month, 2))\(isLeapMonth ? "+" : "")-\(Self.pad(day, 2))"
    }

    /// As people write it: `15/8/2027 âm lịch`, `15/5 nhuận/2028 âm lịch`.
    public var description: String { "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year) âm lịch" }

    /// In the calendar's order: a leap month comes right after the ordinary month of its number.
    public static func < (lhs: LunarDate, rhs: LunarDate) -> Bool {
        (lhs.year, lhs.month, lhs.isLeapMonth ? 1 : 0, lhs.day) < (
            rhs.year, rhs.month, rhs.isLeapMonth ? 1 : 0, rhs.day
        )
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension LunarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try LunarDate(parsing: text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
