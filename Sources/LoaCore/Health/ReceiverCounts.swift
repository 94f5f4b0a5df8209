/// How many receivers are in each state; the monitor fills it, health checks and perfdata read it.
///
/// Counts cover the inventory only; strangers are counted apart. `online` counts every reachable receiver
/// (online, playing or degraded); `playing` and `degraded` say how many of those are in that detail.
public struct ReceiverCounts: Codable, Sendable, Hashable {
    public var total: Int
    public var online: Int
    public var offline: Int
    public var lost: Int
    public var playing: Int
    public var degraded: Int
    /// Configured but never heard from.
    public var unknown: Int
    /// Receivers not in the inventory that report anyway.
    public var strangers: Int
    /// The ids of offline and lost receivers, sorted, at most `downListLimit`.
    public var down: [String]
    /// The ids of receivers degraded because their clock is off by seconds (`clock-skew`, `commands-stale`),
    /// at most `downListLimit`: reachable, yet they refuse commands and miss broadcasts.
    public var misclocked: [String]

    /// How many ids `down` lists at most.
    public static let downListLimit = 20

    public init(
        total: Int = 0,
        online: Int = 0,
        offline: Int = 0,
        lost: Int = 0,
        playing: Int = 0,
        degraded: Int = 0,
        unknown: Int = 0,
        strangers: Int = 0,
        down: [String] = [],
        misclocked: [String] = []
    ) {
        self.total = total
        self.online = online
        self.offline = offline
        self.lost = lost
        self.playing = playing
        self.degraded = degraded
        self.unknown = unknown
        self.strangers = strangers
        self.down = down
        self.misclocked = misclocked
    }

    enum CodingKeys: String, CodingKey {
        case total, online, offline, lost, playing, degraded, unknown, strangers, down, misclocked
    }

    /// Fields added after the first version are optional, so an older daemon's report still reads.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decode(Int.self, forKey: .total)
        online = try container.decode(Int.self, forKey: .online)
        offline = try container.decode(Int.self, forKey: .offline)
        lost = try container.decode(Int.self, forKey: .lost)
        playing = try container.decodeIfPresent(Int.self, forKey: .playing) ?? 0
        degraded = try container.decodeIfPresent(Int.self, forKey: .degraded) ?? 0
        unknown = try container.decodeIfPresent(Int.self, forKey: .unknown) ?? 0
        strangers = try container.decodeIfPresent(Int.self, forKey: .strangers) ?? 0
        down = try container.decodeIfPresent([String].self, forKey: .down) ?? []
        misclocked = try container.decodeIfPresent([String].self, forKey: .misclocked) ?? []
    }
}
