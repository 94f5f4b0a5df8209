extension LocalDateTime {
    /// The local date and time (to the minute) of `instant` in `timeZone`.
    public init(instant: Date, in timeZone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - day * 86_400
        self.init(
            date: LocalDate(dayNumber: day),
            time: LocalTime(hour: secondOfDay / 3600, minute: (secondOfDay % 3600) / 60)!
        )
    }
}
