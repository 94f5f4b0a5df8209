/// What `GET /metrics` exposes, gathered from the daemon's parts at scrape time.
public struct MetricsSnapshot: Sendable, Hashable {
    /// One receiver's series.
    public struct ReceiverSample: Sendable, Hashable {
        public var id: String
        public var zone: String?
        public var state: ReceiverState
        public var rssi: Int?
        /// Seconds since its last valid message.
        public var lastSeenAge: Double?

        public init(id: String, zone: String?, state: ReceiverState, rssi: Int? = nil, lastSeenAge: Double? = nil) {
            self.id = id
            self.zone = zone
            self.state = state
            self.rssi = rssi
            self.lastSeenAge = lastSeenAge
        }
    }

    public var site: String
    public var version: String
    /// Every receiver (inventory and strangers) by state; states with none are 0.
    public var receiversByState: [ReceiverState: Int]
    public var strangers: Int
    public var receivers: [ReceiverSample]
    public var counters: MonitorCounters
    /// Broadcast log entries by outcome.
    public var broadcasts: [String: Int]
    public var brokerConnected: Bool
    /// Webhook deliveries by result: `delivered`, `retried`, `failed`.
    public var webhook: [String: Int]
    public var uptimeSeconds: Double
    /// Playout journal lines that could not be written (a full disk), since start.
    public var journalWriteFailures: Int
    /// Reloads of `device-configs/` refused since start, and whether the last one was refused.
    public var reloadsRejected: Int
    public var lastReloadRejected: Bool
    /// Messages the broker link dropped from its bounded inbound queues, by kind and top offender.
    public var inboundDrops: InboundDrops

    public init(
        site: String,
        version: String,
        receiversByState: [ReceiverState: Int] = [:],
        strangers: Int = 0,
        receivers: [ReceiverSample] = [],
        counters: MonitorCounters = MonitorCounters(),
        broadcasts: [String: Int] = [:],
        brokerConnected: Bool = false,
        webhook: [String: Int] = [:],
        uptimeSeconds: Double = 0,
        journalWriteFailures: Int = 0,
        reloadsRejected: Int = 0,
        lastReloadRejected: Bool = false,
        inboundDrops: InboundDrops = InboundDrops()
    ) {
        self.inboundDrops = inboundDrops
        self.reloadsRejected = reloadsRejected
        self.lastReloadRejected = lastReloadRejected
        self.site = site
        self.version = version
        self.receiversByState = receiversByState
        self.strangers = strangers
        self.receivers = receivers
        self.counters = counters
        self.broadcasts = broadcasts
        self.brokerConnected = brokerConnected
        self.webhook = webhook
        self.uptimeSeconds = uptimeSeconds
        self.journalWriteFailures = journalWriteFailures
    }
}

/// Anything that can gather the daemon's metrics; `GET /metrics` reads it.
public protocol MetricsReporting: Sendable {
    func metrics() async -> MetricsSnapshot
}
