/// A day of the week, ISO numbering: Monday is 1, Sunday is 7.
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case monday = 1
    case tuesday, wednesday, thursday, friday, saturday, sunday

    /// Parses `mon`…`sun` (or full English names), and the Vietnamese `t2`…`t7`, `cn`.
    public init(parsing text: String) throws(ConfigurationError) {
        let key = text.lowercased()
        let names: [String: Weekday] = [
            "mon": .monday, "tue": .tuesday, "wed": .wednesday, "thu": .thursday, "fri": .friday, "sat": .saturday,
            "sun": .sunday, "monday": .monday, "tuesday": .tuesday, "wednesday": .wednesday, "thursday": .thursday,
            "friday": .friday, "saturday": .saturday, "sunday": .sunday, "t2": .monday, "t3": .tuesday,
            "t4": .wednesday, "t5": .thursday, "t6": .friday, "t7": .saturday, "cn": .sunday,
        ]
        guard let day = names[key] else {
            throw ConfigurationError(
                key: "weekday",
                value: text,
                problem: "is not a weekday; use mon, tue, wed, thu, fri, sat, sun (or t2…t7, cn)"
            )
        }
        self = day
    }

    public var shortName: String {
        switch self {
        case .monday: "mon"
        case .tuesday: "tue"
        case .wednesday: "wed"
        case .thursday: "thu"
        case .friday: "fri"
        case .saturday: "sat"
        case .sunday: "sun"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
