extension ConsoleStrings {
    /// "Lịch phát" (``SchedulePage``).
    static let schedule: [String: (vi: String, en: String)] = [:]
}
