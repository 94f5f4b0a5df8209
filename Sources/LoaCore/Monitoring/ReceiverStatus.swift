/// One receiver as `GET /api/v1/receivers` and `loa receivers` show it.
public struct ReceiverStatus: Codable, Sendable, Hashable {
    public var id: String
    /// From the inventory; nil for a stranger.
    public var name: String?
    public var zone: String?
    /// Not in the inventory: reported, never counted in the site's totals.
    public var stranger: Bool
    public var state: ReceiverState
    /// When it entered `state`.
    public var since: Date?
    /// When it stopped being reachable, while offline or lost (an offline receiver that then becomes lost
    /// keeps its first time): how long it has been down.
    public var downSince: Date?
    /// The last valid message of any kind from it.
    public var lastSeen: Date?
    /// The last telemetry report, and when it came.
    public var lastTelemetry: Date?
    public var telemetry: Telemetry?
    /// The thresholds its last telemetry crosses.
    public var reasons: [DegradedReason]
    /// The session on air.
    public var playing: SessionID?
    /// Its software version, from its availability status.
    public var version: String?
    /// Messages from it that were dropped (malformed, too large, wrong version, out of range).
    public var badMessages: Int
    /// Commands it reported refusing (unsigned, forged, stale, replayed…): someone may be trying to make it
    /// speak, or the controller's key or clock is wrong.
    public var rejectedCommands: Int
    /// The last of them.
    public var lastRejectedCommand: RejectedCommand?
    /// The controller's estimate of its clock minus the controller's (ms), from the `at` of its recent
    /// telemetry: the least delayed of them, so transit time biases it by at most the fastest report's.
    public var clockSkewMs: Double?
    /// Set while two devices seem to use this id (their births alternate).
    public var duplicate: Duplicate?

    /// Two devices or more using one receiver id: each connection makes the broker drop the other's, so
    /// they take turns online and each misses what is sent while it is away.
    public struct Duplicate: Codable, Sendable, Hashable {
        /// The first alternation seen.
        public var since: Date
        /// The latest.
        public var last: Date
        /// How many times a different instance took over since `since`.
        public var switches: Int
        /// The instances seen taking turns, most recent first.
        public var instances: [String]

        public init(since: Date, last: Date, switches: Int, instances: [String]) {
            self.since = since
            self.last = last
            self.switches = switches
            self.instances = instances
        }
    }

    /// A command a receiver refused, as its `command.rejected` event said.
    public struct RejectedCommand: Codable, Sendable, Hashable {
        /// When the controller heard of it (not the event's `at`: the receiver's clock may be what is wrong).
        public var at: Date
        /// `unsigned`, `bad-signature`, `stale`, `replayed`, `malformed`, `wrong-target` or `wrong-site`.
        public var reason: String
        public var seq: Int64?

        public init(at: Date, reason: String, seq: Int64? = nil) {
            self.at = at
            self.reason = reason
            self.seq = seq
        }
    }

    public init(
        id: String,
        name: String? = nil,
        zone: String? = nil,
        stranger: Bool = false,
        state: ReceiverState,
        since: Date? = nil,
        downSince: Date? = nil,
        lastSeen: Date? = nil,
        lastTelemetry: Date? = nil,
        telemetry: Telemetry? = nil,
        reasons: [DegradedReason] = [],
        playing: SessionID? = nil,
        version: String? = nil,
        badMessages: Int = 0,
        rejectedCommands: Int = 0,
        lastRejectedCommand: RejectedCommand? = nil,
        clockSkewMs: Double? = nil,
        duplicate: Duplicate? = nil
    ) {
        self.id = id
        self.name = name
        self.zone = zone
        self.stranger = stranger
        self.state = state
        self.since = since
        self.downSince = downSince
        self.lastSeen = lastSeen
        self.lastTelemetry = lastTelemetry
        self.telemetry = telemetry
        self.reasons = reasons
        self.playing = playing
        self.version = version
        self.badMessages = badMessages
        self.rejectedCommands = rejectedCommands
        self.lastRejectedCommand = lastRejectedCommand
        self.clockSkewMs = clockSkewMs
        self.duplicate = duplicate
    }
}

/// What a list of receivers can be filtered by: a state, `stranger`, or `down` (offline or lost).
public enum ReceiverFilter: Sendable, Hashable {
    case state(ReceiverState)
    case stranger
    case down

    public init?(_ text: String) {
        switch text {
        case "stranger", "strangers": self = .stranger
        case "down": self = .down
        default:
            guard let state = ReceiverState(rawValue: text) else { return nil }
            self = .state(state)
        }
    }

    /// The words `init` accepts, for error messages.
    public static var names: [String] { ReceiverState.allCases.map(\.rawValue) + ["down", "stranger"] }

    public func matches(_ status: ReceiverStatus) -> Bool {
        switch self {
        case .state(let state): status.state == state
        case .stranger: status.stranger
        case .down: status.state.isDown
        }
    }
}

/// One receiver in detail: `GET /api/v1/receivers/{id}` and `loa receivers show`.
public struct ReceiverDetail: Codable, Sendable, Hashable {
    public var status: ReceiverStatus
    public var availability: AvailabilityFigures
    /// Recent transitions, newest first.
    public var history: [ReceiverTransition]

    public init(status: ReceiverStatus, availability: AvailabilityFigures, history: [ReceiverTransition]) {
        self.status = status
        self.availability = availability
        self.history = history
    }
}

/// The share of time a receiver was reachable (online, playing or degraded), 0…1, over the last day,
/// week and 30 days; nil when it was never observed in that window.
public struct AvailabilityFigures: Codable, Sendable, Hashable {
    public var day: Double?
    public var week: Double?
    public var month: Double?

    public init(day: Double? = nil, week: Double? = nil, month: Double? = nil) {
        self.day = day
        self.week = week
        self.month = month
    }
}

/// The receivers, as the HTTP API asks for them. The daemon's monitor implements it.
public protocol ReceiverMonitoring: Sendable {
    /// Every receiver (inventory first, then strangers), optionally only one zone's or those matching `filter`.
    func receivers(zone: String?, filter: ReceiverFilter?) async throws(OperationError) -> [ReceiverStatus]
    /// One receiver with its availability and recent history.
    func receiver(id: String) async throws(OperationError) -> ReceiverDetail
    /// Each receiver's share of `window` it was reachable, for those observed in it (a month's report: one
    /// read for the whole commune, not one per receiver).
    func availability(during window: DateInterval) async throws(OperationError) -> [String: Double]
}
