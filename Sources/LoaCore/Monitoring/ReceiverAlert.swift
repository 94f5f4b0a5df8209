import Foundation

/// An alert about receivers, as published on `{root}/alerts` and POSTed to the webhook
/// (docs/protocol.md, "Alert"). Times are wall-clock µs since 1970, like every Loa MQTT message.
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

        public var severity: Severity {
            switch self {
            case .offline, .lost, .outage: .critical
            case .degraded, .flapping: .warning
            case .recovered, .outageResolved: .ok
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

        public init(
            id: String,
            name: String? = nil,
            zone: String? = nil,
            state: ReceiverState,
            since: Int64? = nil,
            reasons: [DegradedReason] = [],
            stranger: Bool = false
        ) {
            self.id = id
            self.name = name
            self.zone = zone
            self.state = state
            self.since = since
            self.reasons = reasons
            self.stranger = stranger
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

    public init(
        id: String,
        site: String,
        at: Int64,
        kind: Kind,
        summary: String,
        receivers: [Subject],
        count: Int? = nil,
        suppressed: Int = 0
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
