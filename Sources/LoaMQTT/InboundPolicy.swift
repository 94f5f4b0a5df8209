import LoaCore

/// How an ``MQTTClient`` sorts what arrives into bounded lanes, so a flood of one kind cannot push out
/// another: telemetry can only displace telemetry, and one receiver's telemetry only its own.
///
/// `classify` runs on libmosquitto's network thread for every message, so it looks at the topic alone (no
/// payload parsing). A lane holds at most `limit` messages and at most `limitPerKey` of one key (a receiver
/// id); past either it drops the oldest of that key, or the lane's oldest.
public struct InboundPolicy: Sendable {
    /// One lane: its name (the `kind` of its drop counter) and its bounds.
    public struct Lane: Sendable, Hashable {
        public var name: String
        public var limit: Int
        public var limitPerKey: Int

        public init(name: String, limit: Int, limitPerKey: Int? = nil) {
            self.name = name
            self.limit = max(1, limit)
            self.limitPerKey = max(1, min(limitPerKey ?? limit, limit))
        }
    }

    /// Where one message goes: a lane's index in ``lanes``, and its key within the lane ("" for none).
    public struct Placement: Sendable, Hashable {
        public var lane: Int
        public var key: String

        public init(lane: Int, key: String = "") {
            self.lane = lane
            self.key = key
        }
    }

    public var lanes: [Lane]
    public var classify: @Sendable (String) -> Placement

    /// `classify` must return an index into `lanes`; an index out of range goes to the last lane.
    public init(lanes: [Lane], classify: @escaping @Sendable (String) -> Placement) {
        precondition(!lanes.isEmpty, "an inbound policy needs at least one lane")
        self.lanes = lanes
        self.classify = classify
    }

    /// One drop-oldest lane for everything: the client's behaviour when nothing else is configured.
    public static func single(limit: Int) -> InboundPolicy {
        InboundPolicy(lanes: [Lane(name: "all", limit: limit)]) { _ in Placement(lane: 0) }
    }

    /// The controller's input: receivers' events, statuses and telemetry each in a lane of their own, keyed by
    /// receiver id, and everything else in `other`.
    ///
    /// Telemetry keeps only the newest 4 per receiver (an older report of the same receiver is worthless once
    /// a newer one arrived). Events (acknowledgements, sessions) are bounded generously, and per receiver too,
    /// so one receiver's forged flood cannot push out another's acknowledgements. Statuses too: every
    /// receiver's retained status arrives at once on each reconnect.
    public static func controller(_ topics: TopicTree) -> InboundPolicy {
        let prefix = "\(topics.root)/rx/"
        let kinds = ["events", "status", "telemetry"]
        let lanes = [
            Lane(name: "events", limit: 16_384, limitPerKey: 1_024),
            Lane(name: "status", limit: 16_384, limitPerKey: 16),
            Lane(name: "telemetry", limit: 4_096, limitPerKey: 4),
            Lane(name: "other", limit: 4_096),
        ]
        return InboundPolicy(lanes: lanes) { topic in
            guard topic.hasPrefix(prefix) else { return Placement(lane: 3) }
            let rest = topic.utf8.dropFirst(prefix.utf8.count)
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return Placement(lane: 3) }
            let kind = rest[rest.index(after: slash)...]
            guard let lane = kinds.firstIndex(where: { $0.utf8.elementsEqual(kind) }) else {
                return Placement(lane: 3)
            }
            return Placement(lane: lane, key: String(Substring(rest[..<slash])))
        }
    }

    /// A receiver's input: commands in a lane of their own, so they are never lost behind audio; audio
    /// drop-oldest within `audioLimit` (a late frame is worthless).
    public static func receiver(_ topics: TopicTree, audioLimit: Int = 4_096) -> InboundPolicy {
        let audio = "\(topics.root)/audio/"
        let lanes = [Lane(name: "commands", limit: 1_024), Lane(name: "audio", limit: audioLimit)]
        return InboundPolicy(lanes: lanes) { topic in Placement(lane: topic.hasPrefix(audio) ? 1 : 0) }
    }
}
