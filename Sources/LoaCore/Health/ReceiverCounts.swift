/// How many receivers are in each state; the monitor fills it, health checks and perfdata read it.
public struct ReceiverCounts: Codable, Sendable, Hashable {
    public var total: Int
    public var online: Int
    public var offline: Int
    public var lost: Int

    public init(total: Int = 0, online: Int = 0, offline: Int = 0, lost: Int = 0) {
        self.total = total
        self.online = online
        self.offline = offline
        self.lost = lost
    }
}
