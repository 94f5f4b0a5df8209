extension LocalDate {
    /// The first instant of this day in `timeZone` (local midnight, or the first instant after it where a
    /// time-zone change skips midnight).
    public func start(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components).map { calendar.startOfDay(for: $0) } ?? Date(timeIntervalSince1970: 0)
    }

    /// The whole day in `timeZone`: from its start to the next day's.
    public func interval(in timeZone: TimeZone) -> DateInterval {
        DateInterval(start: start(in: timeZone), end: adding(days: 1).start(in: timeZone))
    }
}
