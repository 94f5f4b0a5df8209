/// Turns local dates and times of one time zone into UTC instants, and instants back into local days.
///
/// Offsets come from Foundation's `TimeZone` and are cached per local day, so expanding thousands of schedules
/// in the same zone costs two offset look-ups per day, not one per occurrence. A day whose offsets before and
/// after it agree is *uniform* (every day of a zone without DST, like Asia/Ho_Chi_Minh): its local times map to
/// instants by one subtraction. Only the days around a transition take the slow path.
///
/// Instants and local times are whole seconds: instants since 1970-01-01 UTC, local times as seconds since
/// 1970-01-01 00:00 on the local wall clock (`dayNumber × 86400 + secondsOfDay`).
///
/// Local times that do not exist or exist twice (DST):
/// - **In a spring-forward gap** the time is shifted forward by the length of the gap: 02:30 on the day
///   Europe/Berlin jumps from 02:00 to 03:00 airs at 03:30 CEST (the instant that 02:30 CET would have been).
/// - **In a fall-back overlap** the first of the two instants is used: 02:30 on the day Berlin falls back
///   from 03:00 to 02:00 airs at 02:30 CEST, once.
struct ZoneCalendar {
    let timeZone: TimeZone

    /// The zone's UTC offsets just before and just after one local day; equal on a day with no transition.
    struct DayOffsets: Equatable {
        var before: Int
        var after: Int
        var isUniform: Bool { before == after }
    }

    private var days: [Int: DayOffsets] = [:]
    private var lastDay = Int.min
    private var lastOffsets = DayOffsets(before: 0, after: 0)
    private var lastInstant = Int.min
    private var lastInstantDay = 0

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    static let secondsPerDay = 86_400

    /// The UTC offset in seconds at an instant. The only place a `TimeZone` is asked.
    func offset(atInstant instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
    }

    /// The offsets that bracket local day `day`.
    ///
    /// Real offsets lie within −12 h…+14 h, so the instant at UTC midnight one day before the local day falls
    /// before it begins, and the instant at UTC midnight two days after falls after it ends.
    mutating func offsets(forDay day: Int) -> DayOffsets {
        if day == lastDay { return lastOffsets }
        let offsets: DayOffsets
        if let cached = days[day] {
            offsets = cached
        } else {
            offsets = DayOffsets(
                before: offset(atInstant: (day - 1) * Self.secondsPerDay),
                after: offset(atInstant: (day + 2) * Self.secondsPerDay)
            )
            days[day] = offsets
        }
        lastDay = day
        lastOffsets = offsets
        return offsets
    }

    /// The local day (a `LocalDate.dayNumber`) on the wall clock at `instant`.
    mutating func localDay(ofInstant instant: Int) -> Int {
        if instant == lastInstant { return lastInstantDay }
        let day = (instant + offset(atInstant: instant)).floorDivided(by: Self.secondsPerDay)
        lastInstant = instant
        lastInstantDay = day
        return day
    }

    /// The instant at which local `secondsOfDay` on local day `day` happens, and the local wall-clock time at that
    /// instant (the same time, except in a spring-forward gap, where it is shifted forward by the gap).
    mutating func resolve(day: Int, secondsOfDay: Int) -> (instant: Int, local: Int) {
        let local = day * Self.secondsPerDay + secondsOfDay
        let offsets = offsets(forDay: day)
        if offsets.isUniform { return (local - offsets.before, local) }

        // A transition is near: keep each candidate offset that is really in force at the instant it gives.
        let early = local - offsets.before
        let late = local - offsets.after
        let earlyValid = offset(atInstant: early) == offsets.before
        let lateValid = offset(atInstant: late) == offsets.after
        let instant: Int
        switch (earlyValid, lateValid) {
        case (true, true): instant = min(early, late)  // the time happens twice: the first
        case (true, false): instant = early
        case (false, true): instant = late
        case (false, false): instant = early  // in a gap: the offset before it, i.e. shifted forward by the gap
        }
        return (instant, instant + offset(atInstant: instant))
    }
}

extension Int {
    /// Division rounding toward negative infinity (`-1 / 86400` is −1, not 0).
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
