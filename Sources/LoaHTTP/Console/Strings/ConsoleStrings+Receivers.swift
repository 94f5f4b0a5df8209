extension ConsoleStrings {
    /// "Loa" (``ReceiversPage``).
    static let receivers: [String: (vi: String, en: String)] = [:]
}
