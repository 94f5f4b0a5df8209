/// Checks a schedule before it is stored, naming each problem and how to fix it.
///
/// Errors are keyed by the `loa schedule add` flag an operator would change (`--from`, `--times`, …), so
/// the CLI can print them as they are and the HTTP API can map them to its fields.
public enum ScheduleValidator {
    public static let maximumTitleLength = 200
    public static let volumeRange = 0...100
    public static let repeatCountRange = 1...10
    public static let monthDayRange = 1...31

    /// Throws the first problem found; checks the time zone first, since dates are read in it. `voices` are
    /// those the speech engine offers (empty: any), so a voice it lacks is refused here, not at every airing.
    public static func validate(_ schedule: Schedule, now: Date, voices: [String] = []) throws(ConfigurationError) {
        let timeZone: TimeZone
        do {
            timeZone = try Schedule.parseTimeZone(schedule.timeZone)
        } catch {
            throw ConfigurationError(key: "--time-zone", value: schedule.timeZone, problem: error.problem)
        }
        try validateAnnouncement(schedule.announcement, voices: voices)
        try validateDates(schedule, timeZone: timeZone, now: now)
        try validateRecurrence(schedule.recurrence)
        try validatePlayback(schedule)
        try validateAirsAgain(schedule, now: now)
    }

    private static func validateAnnouncement(
        _ announcement: Announcement,
        voices: [String]
    ) throws(ConfigurationError) {
        let length = announcement.title.count
        if length > maximumTitleLength {
            throw ConfigurationError(
                key: "--title",
                value: String(announcement.title.prefix(40)) + "…",
                problem:
                    "is \(length) characters long; keep titles to \(maximumTitleLength) and put the rest in the text"
            )
        }
        if case .tts(let text, _) = announcement.content, text.trimmingWhitespace().isEmpty {
            throw ConfigurationError(
                key: "--text",
                value: text,
                problem: "is empty; give the words to read aloud, or import an audio file instead"
            )
        }
        if case .tts(let text, let voice) = announcement.content {
            try validateSpeech(text, voice: voice, voices: voices)
        }
        if case .relay(let source, let seconds) = announcement.content {
            try validateRelay(source: source, seconds: seconds)
        }
    }

    /// The longest relay slot: a day, as for any session (protocol v1, `durationMs`).
    public static let maximumRelaySeconds = 86_400

    /// A relay plays an HTTP(S) stream (Icecast MP3 or AAC, an HLS playlist) for a set length, if any.
    static func validateRelay(source: String, seconds: Int?) throws(ConfigurationError) {
        let lowered = source.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), source.count > 8, source.count <= 2_048,
            !source.contains(where: \.isWhitespace)
        else {
            throw ConfigurationError(
                key: "--relay",
                value: String(source.prefix(80)),
                problem: "is not an http:// or https:// stream address; give the station's Icecast or HLS URL"
            )
        }
        if let seconds, !(1...maximumRelaySeconds).contains(seconds) {
            throw ConfigurationError(
                key: "--duration",
                value: "\(seconds) s",
                problem: "must be between 1 s and 24 h"
            )
        }
    }

    private static func validateDates(_ schedule: Schedule, timeZone: TimeZone, now: Date) throws(ConfigurationError) {
        if let from = schedule.validFrom, let until = schedule.validUntil, from > until {
            throw ConfigurationError(
                key: "--from",
                value: from.description,
                problem: "is after --until \(until); the campaign would never air"
            )
        }
        var calendar = ZoneCalendar(timeZone: timeZone)
        let nowSeconds = now.wholeSecondsRoundingUp
        let today = LocalDateTime(localSeconds: nowSeconds + calendar.offset(atInstant: nowSeconds))
        if let until = schedule.validUntil, until < today.date {
            throw ConfigurationError(
                key: "--until",
                value: until.description,
                problem: "is in the past (today is \(today.date) in \(schedule.timeZone)); the schedule would never "
                    + "air: give a date from today on, or leave --until out"
            )
        }
        guard case .once(let at) = schedule.recurrence else { return }
        if let from = schedule.validFrom, at.date < from {
            throw ConfigurationError(
                key: "--at",
                value: at.description,
                problem: "is before --from \(from); the item would never air"
            )
        }
        if let until = schedule.validUntil, at.date > until {
            throw ConfigurationError(
                key: "--at",
                value: at.description,
                problem: "is after --until \(until); the item would never air"
            )
        }
        let instant = calendar.resolve(day: at.date.dayNumber, secondsOfDay: at.time.secondsOfDay).instant
        if instant < nowSeconds {
            throw ConfigurationError(
                key: "--at",
                value: at.description,
                problem: "is in the past (it is now \(today) in \(schedule.timeZone)); pick a later date and time"
            )
        }
    }

    /// The last check, once the parts are each valid: together they must leave at least one airing from now on
    /// (a `--from`/`--until` range holding none of the days, every airing on a `--skip` date, …).
    private static func validateAirsAgain(_ schedule: Schedule, now: Date) throws(ConfigurationError) {
        guard schedule.nextOccurrence(after: now.addingTimeInterval(-1)) == nil else { return }
        var range = ""
        if schedule.validFrom != nil || schedule.validUntil != nil {
            range =
                " from --from \(schedule.validFrom?.description ?? "today") to --until "
                + (schedule.validUntil?.description ?? "the end")
        }
        let skipped = [
            schedule.skipDates.isEmpty ? nil : "--skip dates", schedule.skipLunar.isEmpty ? nil : "--skip-lunar days",
        ].compactMap { $0 }
        let skips = skipped.isEmpty ? "" : " once the \(skipped.joined(separator: " and ")) are left out"
        throw ConfigurationError(
            key: "schedule",
            value: RecurrenceSpec.describe(schedule.recurrence),
            problem: "never airs\(range)\(skips); widen the dates, or change the days or the --skip dates"
        )
    }

    private static func validateRecurrence(_ recurrence: Recurrence) throws(ConfigurationError) {
        switch recurrence {
        case .once:
            return
        case .daily(let times):
            try requireTimes(times)
        case .weekly(let days, let times):
            try requireDays(days)
            try requireTimes(times)
        case .everyNWeeks(let interval, _, let days, let times):
            if interval < 1 {
                throw ConfigurationError(
                    key: "--every",
                    value: String(interval),
                    problem: "is not a number of weeks; use 1 for every week, 2 for every other week, and so on"
                )
            }
            try requireDays(days)
            try requireTimes(times)
        case .monthly(let day, let times, let shortMonths):
            if !monthDayRange.contains(day) {
                throw ConfigurationError(
                    key: "--day",
                    value: String(day),
                    problem: "is not a day of the month; use 1 to 31, or last for the last day of every month"
                )
            }
            if day >= Recurrence.firstShortGregorianDay && shortMonths == nil {
                throw ConfigurationError(
                    key: "--short-months",
                    value: String(day),
                    problem: "is missing: not every month has day \(day); say skip to leave those months out, or last"
                        + " to air on their last day instead"
                )
            }
            try requireTimes(times)
        case .lunarMonthly(let days, let times, let shortMonths):
            if days.isEmpty || !days.allSatisfy(Recurrence.lunarMonthDays.contains) {
                throw ConfigurationError(
                    key: "--lunar",
                    value: days.map(String.init).joined(separator: ","),
                    problem: "names no day of the lunar month, or one outside 1 to 30; e.g. 1,15 for mùng 1 and rằm"
                )
            }
            if days.contains(Recurrence.lunarMonthDays.upperBound) && shortMonths == nil {
                throw ConfigurationError(
                    key: "--short-months",
                    value: "30",
                    problem: "is missing: a lunar month of 29 days has no 30th; say skip to leave those months out,"
                        + " or last to air on their 29th instead"
                )
            }
            try requireTimes(times)
        case .lunarYearly(_, let times):
            try requireTimes(times)
        }
    }

    private static func requireTimes(_ times: [LocalTime]) throws(ConfigurationError) {
        if times.isEmpty {
            throw ConfigurationError(
                key: "--times",
                problem: "is empty; give at least one time of day, e.g. --times 05:00,17:00"
            )
        }
    }

    private static func requireDays(_ days: [Weekday]) throws(ConfigurationError) {
        if days.isEmpty {
            throw ConfigurationError(
                key: "--days",
                problem: "is empty; give at least one weekday, e.g. --days mon,wed,fri or t2,t4,t6"
            )
        }
    }

    private static func validatePlayback(_ schedule: Schedule) throws(ConfigurationError) {
        if let volume = schedule.volume, !volumeRange.contains(volume) {
            throw ConfigurationError(
                key: "--volume",
                value: String(volume),
                problem: "is out of range; use 0 to 100, or leave it out to keep each receiver's own volume"
            )
        }
        if !repeatCountRange.contains(schedule.repeatCount) {
            throw ConfigurationError(
                key: "--repeat",
                value: String(schedule.repeatCount),
                problem: "is out of range; play an item 1 to 10 times per airing"
            )
        }
        if schedule.repeatGapSeconds < 0 {
            throw ConfigurationError(
                key: "--repeat-gap",
                value: String(schedule.repeatGapSeconds),
                problem: "is negative; give the seconds of silence between repeats, 0 or more"
            )
        }
        if schedule.latenessLimitSeconds < 0 {
            throw ConfigurationError(
                key: "--lateness",
                value: String(schedule.latenessLimitSeconds),
                problem: "is negative; give how many seconds late an item may still start, 0 or more"
                    + " (default \(Schedule.defaultLatenessLimitSeconds))"
            )
        }
    }
}
