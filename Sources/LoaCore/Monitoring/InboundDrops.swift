/// What the broker link threw away before anyone read it: messages dropped from its bounded inbound queues,
/// by kind, and the receivers that lost the most. A flood shows here, and in `GET /metrics`, as one kind and
/// one receiver, so a technician can tell a noisy client from a controller that cannot keep up.
public struct InboundDrops: Sendable, Hashable {
    /// One receiver (or other topic key) whose own messages were dropped, and how many.
    public struct Offender: Sendable, Hashable {
        public var kind: String
        public var key: String
        public var count: Int

        public init(kind: String, key: String, count: Int) {
            self.kind = kind
            self.key = key
            self.count = count
        }
    }

    /// Dropped messages by kind (`events`, `status`, `telemetry`, `other`, …); every kind of the queue is
    /// listed, with 0 when nothing was dropped.
    public var byKind: [String: Int]
    /// The keys that lost the most, most first (a handful at most).
    public var topOffenders: [Offender]

    public init(byKind: [String: Int] = [:], topOffenders: [Offender] = []) {
        self.byKind = byKind
        self.topOffenders = topOffenders
    }

    public var total: Int { byKind.values.reduce(0, +) }
}
