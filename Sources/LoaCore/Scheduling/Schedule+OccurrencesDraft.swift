import Foundation

// TEMPORARY: replaced by the expansion engine (helper). Slow but simple.
extension Schedule {
    public func occurrences(from: Date, to: Date) -> [Occurrence] {
        guard let zone = TimeZone(identifier: timeZone) else { return [] }
        var result: [Occurrence] = []
        let startDay = Int(floor((from.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: from))) / 86400)) - 1
        let endDay = Int(floor((to.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: to))) / 86400)) + 1
        for dayNumber in startDay...max(startDay, endDay) {
            let date = LocalDate(dayNumber: dayNumber)
            if let validFrom, date < validFrom { continue }
            if let validUntil, date > validUntil { continue }
            if skipDates.contains(date) { continue }
            var times: [LocalTime] = []
            switch recurrence {
            case .once(let at): if at.date == date { times = [at.time] }
            case .daily(let t): times = t
            case .weekly(let days, let t): if days.contains(date.weekday) { times = t }
            case .everyNWeeks(let interval, let anchor, let days, let t):
                let anchorMonday = anchor.dayNumber - (anchor.weekday.rawValue - 1)
                let weeks = (date.dayNumber - anchorMonday) / 7
                if date.dayNumber >= anchorMonday, weeks % interval == 0, days.contains(date.weekday) { times = t }
            case .monthly(let day, let t): if date.day == day { times = t }
            }
            for time in times {
                let naive = Double(date.dayNumber * 86400 + time.secondsOfDay)
                let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive))
                let instant = Date(timeIntervalSince1970: naive - Double(offset))
                if instant >= from && instant < to {
                    result.append(Occurrence(scheduleID: id, plannedAt: instant, local: LocalDateTime(date: date, time: time), priority: priority, targets: targets))
                }
            }
        }
        return result.sorted()
    }

    public func nextOccurrence(after date: Date) -> Occurrence? {
        var from = date.addingTimeInterval(0.001)
        for _ in 0..<60 {
            let to = from.addingTimeInterval(31 * 86400)
            if let first = occurrences(from: from, to: to).first { return first }
            from = to
        }
        return nil
    }
}
