import Foundation

/// An announcement and the rules for when and where it airs.
public struct Schedule: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var announcement: Announcement
    public var recurrence: Recurrence
    /// First local date on which it may air (inclusive).
    public var validFrom: LocalDate?
    /// Last local date on which it may air (inclusive).
    public var validUntil: LocalDate?
    /// Local dates on which it does not air (holidays, a cancelled campaign day).
    public var skipDates: [LocalDate]
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
        skipDates: [LocalDate] = [],
        timeZone: String = defaultTimeZone,
        targets: Targets = .all,
        priority: Priority = .normal,
        volume: Int? = nil,
        repeatCount: Int = 1,
        repeatGapSeconds: Int = 0,
        latenessLimitSeconds: Int = defaultLatenessLimitSeconds,
        approval: ApprovalState = .draft,
        createdBy: String = "system",
        createdAt: Date = Date()
    ) {
        self.id = id
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
        self.approval = approval
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
