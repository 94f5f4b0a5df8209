/// Who the site is and its house rules: from `device-configs/site.yaml`.
public struct SiteProfile: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// The IANA time zone schedules default to.
    public var timeZone: String
    public var policy: ArbitrationPolicy

    public init(
        id: String,
        name: String,
        timeZone: String = Schedule.defaultTimeZone,
        policy: ArbitrationPolicy = .init()
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.policy = policy
    }
}
