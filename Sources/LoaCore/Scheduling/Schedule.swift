/// An announcement and the rules for when and where it airs.
public struct Schedule: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var announcement: Announcement
    public var recurrence: Recurrence
    /// First local date on which it may air (inclusive).
    public var validFrom: LocalDate?
    /// Last local date on which it may air (inclusive).
    public var validUntil: LocalDate?
    /// Local days on which it does not air (holidays, a cancelled campaign day, a week of Tết): ranges, a single day
    /// being a one-day range. Stored and sent as text (`2027-02-05..2027-02-10`), so dates stored before ranges existed
    /// read as one-day ranges.
    public var skipDates: [DateRange]
    /// Spans of the lunar year on which it does not air, every year: no broadcasts in Tết is `29/12..5/1`.
    public var skipLunar: [LunarSpan]
    /// The IANA time zone its local times are in; the site's, Asia/Ho_Chi_Minh by default.
    public var timeZone: String
    public var targets: Targets
    public var priority: Priority
    /// Playback volume 0–100, or nil for each receiver's own setting.
    public var volume: Int?
    /// How many times the item is played at each occurrence (1 = once).
    public var repeatCount: Int
    /// Silence between repeats, in seconds.
    public var repeatGapSeconds: Int
    /// An occurrence that cannot start within this many seconds of its planned time is logged as missed.
    public var latenessLimitSeconds: Int
    public var approval: ApprovalState
    public var createdBy: String
    public var createdAt: Date
    /// Items added to one day's airing only, by date.
    public var oneOffItems: [DatedProgrammeItem]
    /// The approved revision's number: 1 when first added, one more at each approved change.
    public var revision: Int
    /// A change or delete that waits for an approver, while this revision keeps airing; nil when none waits.
    public var pending: PendingChange?
    /// How long one airing lasts, in milliseconds (chimes, items, gaps and repeats), as measured when it was
    /// added or changed; nil while unknown (a relay until stopped, or not measured yet).
    public var lengthMilliseconds: Int?
    /// Why it cannot air as meant, known when it is listed, never stored: e.g. `receiver rx-x is no longer in
    /// the inventory` after a reload removed it. Nil when there is none.
    public var problems: [String]?
    /// What in its text the voice may not read as meant (no accents, emoji, another script), returned when it
    /// is added, never stored. Nil when there is none.
    public var warnings: [String]?

    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"
    public static let defaultLatenessLimitSeconds = 300

    public init(
        id: String,
        announcement: Announcement,
        recurrence: Recurrence,
        validFrom: LocalDate? = nil,
        validUntil: LocalDate? = nil,
        skipDates: [DateRange] = [],
        skipLunar: [LunarSpan] = [],
        timeZone: String = defaultTimeZone,
        targets: Targets = .all,
        priority: Priority = .normal,
        volume: Int? = nil,
        repeatCount: Int = 1,
        repeatGapSeconds: Int = 0,
        latenessLimitSeconds: Int = defaultLatenessLimitSeconds,
        approval: ApprovalState = .draft,
        createdBy: String = "system",
        createdAt: Date = Date(),
        oneOffItems: [DatedProgrammeItem] = [],
        revision: Int = 1,
        pending: PendingChange? = nil,
        lengthMilliseconds: Int? = nil
    ) {
        self.oneOffItems = oneOffItems
        self.revision = revision
        self.pending = pending
        self.lengthMilliseconds = lengthMilliseconds
        self.id = id
        self.announcement = announcement
        self.recurrence = recurrence
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.skipDates = skipDates
        self.skipLunar = skipLunar
        self.timeZone = timeZone
        self.targets = targets
        self.priority = priority
        self.volume = volume
        self.repeatCount = repeatCount
        self.repeatGapSeconds = repeatGapSeconds
        self.latenessLimitSeconds = latenessLimitSeconds
        self.approval = approval
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

extension Schedule {
    /// This schedule as it airs on local date `date`: the programme with that day's one-off items at its end.
    public func airing(on date: LocalDate) -> Schedule {
        let extra = oneOffItems.filter { $0.date == date }.map(\.item)
        guard !extra.isEmpty else { return self }
        var airing = self
        airing.announcement.followingItems += extra
        return airing
    }

    /// Whether something about it waits for an approver: it is a draft, or a change or delete is proposed.
    public var isWaitingForApproval: Bool { approval == .draft || pending != nil }
}
