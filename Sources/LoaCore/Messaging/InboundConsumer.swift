/// A part of the controller that takes messages from the bus. It declares the topic filter it needs, and it
/// is given every message that matches that filter, whatever other consumers exist or in which order they
/// were listed: no consumer can hide a message from another.
public protocol InboundConsumer: Sendable {
    /// The MQTT topic filter this consumer subscribes to.
    var subscription: TopicFilter { get }

    /// Takes one message that matched ``subscription``. It must return quickly (it runs on the broker
    /// link's message path) and must not throw: bad network input is the consumer's to count and drop.
    func receive(_ message: BusMessage)
}
