extension ConsoleStrings {
    /// "Nhật ký" (``LogPage``).
    static let log: [String: (vi: String, en: String)] = [:]
}
