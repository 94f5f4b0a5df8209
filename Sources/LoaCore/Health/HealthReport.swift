/// What `GET /healthz` answers: the state of each part of the daemon.
public struct HealthReport: Codable, Sendable, Hashable {
    public var version: String
    public var site: String
    public var broker: ComponentHealth
    public var audio: ComponentHealth
    public var store: ComponentHealth
    public var receivers: ReceiverCounts
    public var uptimeSeconds: Int
    /// Where receivers reach the broker the controller uses (`mqtt://127.0.0.1:PORT` for the embedded one).
    public var brokerURL: String?
    /// What works but needs a technician's eye (a WARNING): the last broadcast did not play everywhere, a
    /// reload of `device-configs/` was refused. Nil from older daemons.
    public var warnings: [String]?

    public init(
        version: String,
        site: String,
        broker: ComponentHealth,
        audio: ComponentHealth,
        store: ComponentHealth,
        receivers: ReceiverCounts,
        uptimeSeconds: Int,
        brokerURL: String? = nil,
        warnings: [String]? = nil
    ) {
        self.warnings = warnings
        self.brokerURL = brokerURL
        self.version = version
        self.site = site
        self.broker = broker
        self.audio = audio
        self.store = store
        self.receivers = receivers
        self.uptimeSeconds = uptimeSeconds
    }

    /// True when every component works (or is disabled on purpose).
    public var isHealthy: Bool {
        [broker, audio, store].allSatisfy { $0.condition != .failed }
    }
}
