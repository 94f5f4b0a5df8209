/// An alert about receivers, or about the controller itself (with no receivers), as published on
/// `{root}/alerts` and POSTed to the webhook (docs/protocol.md, "Alert"). Times are wall-clock µs since 1970,
/// like every Loa MQTT message.
public struct ReceiverAlert: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case offline
        case lost
        case degraded
        case recovered
        /// Keeps going down and coming back: one alert per flap window.
        case flapping
        /// Many receivers offline or lost together: one summary.
        case outage
        case outageResolved = "outage-resolved"
        /// The controller's: a broadcast cut by a crash was too late to air again on restart.
        case broadcastNotResumed = "broadcast-not-resumed"
        /// The controller's: the broadcast log cannot be written (outcomes wait in memory).
        case storeWriteFailed = "store-write-failed"
        /// The controller's: the broadcast log is written again.
        case storeWriteRecovered = "store-write-recovered"
        /// The controller's: an approved slot could not start within its lateness limit.
        case broadcastMissed = "broadcast-missed"
        /// The controller's: no target receiver acknowledged a broadcast's `play`.
        case broadcastUnacknowledged = "broadcast-unacknowledged"
        /// The controller's: a broadcast ended, and not every target receiver played it.
        case broadcastPartial = "broadcast-partial"
        /// Two devices use one receiver id: their connections keep replacing each other. One alert per
        /// flap window, instead of flapping.
        case duplicateID = "duplicate-id"
        /// The controller's: a relayed programme on air lost its stream; its fallback airs instead.
        case relaySourceLost = "relay-source-lost"
        /// The controller's: the relayed stream is back on air.
        case relaySourceRestored = "relay-source-restored"
        /// The controller's: a draft, a change or a delete of a programme waits for an approver.
        case approvalWaiting = "approval-waiting"

        public var severity: Severity {
            switch self {
            case .offline, .lost, .outage, .broadcastNotResumed, .storeWriteFailed, .broadcastMissed,
                .broadcastUnacknowledged:
                .critical
            case .degraded, .flapping, .broadcastPartial, .duplicateID, .relaySourceLost, .approvalWaiting: .warning
            case .recovered, .outageResolved, .storeWriteRecovered, .relaySourceRestored: .ok
            }
        }

        /// Whether it is about the controller itself: such alerts list no receivers.
        public var isControllerAlert: Bool {
            switch self {
            case .broadcastNotResumed, .storeWriteFailed, .storeWriteRecovered, .broadcastMissed,
                .broadcastUnacknowledged, .broadcastPartial, .relaySourceLost, .relaySourceRestored, .approvalWaiting:
                true
            default: false
            }
        }
    }

    public enum Severity: String, Codable, Sendable {
        case critical
        case warning
        case ok
    }

    /// A receiver an alert is about.
    public struct Subject: Codable, Sendable, Hashable {
        public var id: String
        public var name: String?
        public var zone: String?
        public var state: ReceiverState
        /// When it entered `state`, µs since 1970.
        public var since: Int64?
        public var reasons: [DegradedReason]
        public var stranger: Bool
        /// Its own estimate of its clock's offset (telemetry), when `clock-offset` is among `reasons`.
        public var clockOffsetMs: Double?
        /// The controller's estimate of its clock minus the controller's, when a clock reason is in `reasons`.
        public var clockSkewMs: Double?

        public init(
            id: String,
            name: String? = nil,
            zone: String? = nil,
            state: ReceiverState,
            since: Int64? = nil,
            reasons: [DegradedReason] = [],
            stranger: Bool = false,
            clockOffsetMs: Double? = nil,
            clockSkewMs: Double? = nil
        ) {
            self.id = id
            self.name = name
            self.zone = zone
            self.state = state
            self.since = since
            self.reasons = reasons
            self.stranger = stranger
            self.clockOffsetMs = clockOffsetMs
            self.clockSkewMs = clockSkewMs
        }
    }

    /// The most receivers one alert lists; `count` says how many there are.
    public static let maximumSubjects = 50

    public var v: Int
    public var id: String
    public var site: String
    public var at: Int64
    public var kind: Kind
    public var severity: Severity
    public var summary: String
    public var receivers: [Subject]
    public var count: Int
    /// State changes of these receivers that were not alerted on their own (debounce).
    public var suppressed: Int
    /// The broadcast log id a controller alert is about, if it is about one.
    public var broadcast: Int64?

    public init(
        id: String,
        site: String,
        at: Int64,
        kind: Kind,
        summary: String,
        receivers: [Subject],
        count: Int? = nil,
        suppressed: Int = 0,
        broadcast: Int64? = nil
    ) {
        self.v = TopicTree.protocolVersion
        self.id = id
        self.site = site
        self.at = at
        self.kind = kind
        self.severity = kind.severity
        self.summary = summary
        self.receivers = Array(receivers.prefix(Self.maximumSubjects))
        self.count = count ?? receivers.count
        self.suppressed = suppressed
        self.broadcast = broadcast
    }

    /// The JSON bytes for the alert topic and the webhook.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}

extension Date {
    /// Wall-clock µs since 1970, as the MQTT protocol writes instants.
    public var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}

extension ReceiverAlert {
    /// An alert consumer's reading of the alert topic's or the webhook's bytes: through ``NetworkJSON``, which
    /// refuses what would crash Foundation's decoder.
    public init(decoding payload: [UInt8]) throws {
        self = try NetworkJSON.decode(ReceiverAlert.self, from: payload)
    }
}
