/// Routes each message that arrives on the bus to every consumer whose filter matches its topic.
///
/// Routing is by filter alone, so the order the consumers are listed in changes nothing, and a consumer
/// added later cannot take messages away from one already there.
public struct InboundRouter: Sendable {
    public let consumers: [any InboundConsumer]

    public init(_ consumers: [any InboundConsumer]) {
        self.consumers = consumers
    }

    /// The filters to subscribe to, each once, in the order first declared.
    public var subscriptions: [TopicFilter] {
        var seen = Set<TopicFilter>()
        return consumers.map(\.subscription).filter { seen.insert($0).inserted }
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
