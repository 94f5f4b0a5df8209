extension ConsoleStrings {
    /// "Báo cáo" (``ReportsPage``).
    static let reports: [String: (vi: String, en: String)] = [:]
}
