/// Routes each message that arrives on the bus to every consumer whose filter matches its topic.
///
/// Routing is by filter alone, so the order the consumers are listed in changes nothing, and a consumer
/// added later cannot take messages away from one already there.
public struct InboundRouter: Sendable {
    public let consumers: [any InboundConsumer]

    public init(_ consumers: [any InboundConsumer]) {
        self.consumers = consumers
    }

    /// The filters to subscribe to: each consumer's, except those another one covers, in the order first
    /// declared. A broker delivers a message once per matching subscription of a client (mosquitto 2 does),
    /// so subscribing to both `rx/+/+` and `rx/+/events` would hand every event to every consumer twice.
    public var subscriptions: [TopicFilter] {
        var seen = Set<TopicFilter>()
        let distinct = consumers.map(\.subscription).filter { seen.insert($0).inserted }
        return distinct.filter { filter in !distinct.contains { $0 != filter && $0.covers(filter) } }
    }

    /// Hands `message` to every consumer that subscribed to its topic; returns how many took it.
    @discardableResult
    public func route(_ message: BusMessage) -> Int {
        var delivered = 0
        for consumer in consumers where consumer.subscription.matches(message.topic) {
            consumer.receive(message)
            delivered += 1
        }
        return delivered
    }
}
