extension ScheduleValidator {
    /// The most items one programme holds, one-off items of a day included.
    public static let maximumProgrammeItems = 50
    /// The longest silence between two items.
    public static let maximumItemGapSeconds = 60

    /// A programme's items after the first, and its one-off items: each a recording or a text to read (a slot's
    /// length must be known before it is approved, so no live reading or relay until stopped), each day's
    /// one-offs on a day it airs.
    public static func validateProgramme(_ schedule: Schedule, voices: [String]) throws(ConfigurationError) {
        let announcement = schedule.announcement
        let extra = announcement.followingItems + schedule.oneOffItems.map(\.item)
        guard !extra.isEmpty else { return }
        if announcement.content.isStreamed {
            throw ConfigurationError(
                key: "programme",
                value: announcement.title,
                problem: "starts with a live reading or a relay, which cannot be part of a programme yet; make its "
                    + "items recordings (--asset, --file) or texts (--text)"
            )
        }
        guard announcement.followingItems.count + 1 <= maximumProgrammeItems,
            schedule.oneOffItems.count <= maximumProgrammeItems
        else {
            throw ConfigurationError(
                key: "programme",
                value: announcement.title,
                problem: "has more than \(maximumProgrammeItems) items; split it into two slots"
            )
        }
        guard (0...maximumItemGapSeconds).contains(announcement.itemGapSeconds) else {
            throw ConfigurationError(
                key: "--gap",
                value: "\(announcement.itemGapSeconds)",
                problem: "must be 0-\(maximumItemGapSeconds) seconds of silence between items"
            )
        }
        for item in extra {
            try validate(item, voices: voices)
        }
        guard let timeZone = try? Schedule.parseTimeZone(schedule.timeZone) else { return }
        for dated in schedule.oneOffItems {
            let day = dated.date.interval(in: timeZone)
            if schedule.occurrences(from: day.start, to: day.end).isEmpty {
                throw ConfigurationError(
                    key: "--on",
                    value: dated.date.description,
                    problem: "is not a day this programme airs (\(RecurrenceSpec.describe(schedule.recurrence))); "
                        + "pick a day it airs"
                )
            }
        }
    }

    static func validate(_ item: ProgrammeItem, voices: [String]) throws(ConfigurationError) {
        if let title = item.title, title.count > maximumTitleLength {
            throw ConfigurationError(
                key: "--title",
                value: String(title.prefix(40)) + "…",
                problem: "is \(title.count) characters long; keep titles to \(maximumTitleLength)"
            )
        }
        switch item.content {
        case .tts(let text, let voice):
            try validateSpeech(text, voice: voice, voices: voices)
        case .audio:
            break
        case .relay, .live:
            throw ConfigurationError(
                key: "item",
                value: item.title ?? "",
                problem: "is a live reading or a relay, which cannot be part of a programme yet; give a recording "
                    + "(--asset, --file) or a text (--text)"
            )
        }
    }
}
