/// What an operator asks for with `loa schedule add` or `loa announce`: the daemon adds the id, the author,
/// the approval state and the site's defaults.
public struct ScheduleDraft: Codable, Sendable, Hashable {
    public var announcement: Announcement
    /// Ignored by `announce`, which plays now.
    public var recurrence: Recurrence?
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    public var skipDates: [LocalDate]
    /// Nil for the site's time zone.
    public var timeZone: String?
    public var targets: Targets
    public var priority: Priority
    public var volume: Int?
    public var repeatCount: Int
    public var repeatGapSeconds: Int
    /// Nil for the default (5 minutes).
    public var latenessLimitSeconds: Int?
    /// Items added to one day's airing of the programme only; nil for none.
    public var oneOffItems: [DatedProgrammeItem]?

    public init(
        announcement: Announcement,
        recurrence: Recurrence?,
        validFrom: LocalDate? = nil,
        validUntil: LocalDate? = nil,
        skipDates: [LocalDate] = [],
        timeZone: String? = nil,
        targets: Targets = .all,
        priority: Priority = .normal,
        volume: Int? = nil,
        repeatCount: Int = 1,
        repeatGapSeconds: Int = 0,
        latenessLimitSeconds: Int? = nil,
        oneOffItems: [DatedProgrammeItem]? = nil
    ) {
        self.oneOffItems = oneOffItems
        self.announcement = announcement
        self.recurrence = recurrence
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.skipDates = skipDates
        self.timeZone = timeZone
        self.targets = targets
        self.priority = priority
        self.volume = volume
        self.repeatCount = repeatCount
        self.repeatGapSeconds = repeatGapSeconds
        self.latenessLimitSeconds = latenessLimitSeconds
    }
}

extension ScheduleDraft {
    /// The draft that would make `schedule` again: the start of an edit.
    public init(editing schedule: Schedule) {
        self.init(
            announcement: schedule.announcement,
            recurrence: schedule.recurrence,
            validFrom: schedule.validFrom,
            validUntil: schedule.validUntil,
            skipDates: schedule.skipDates,
            timeZone: schedule.timeZone,
            targets: schedule.targets,
            priority: schedule.priority,
            volume: schedule.volume,
            repeatCount: schedule.repeatCount,
            repeatGapSeconds: schedule.repeatGapSeconds,
            latenessLimitSeconds: schedule.latenessLimitSeconds,
            oneOffItems: schedule.oneOffItems.isEmpty ? nil : schedule.oneOffItems
        )
    }
}
