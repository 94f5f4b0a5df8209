/// The port through which the core talks to receivers: publish, subscribe, and a stream of what arrives.
///
/// The MQTT adapter implements it over libmosquitto; tests use an in-memory bus. Subscriptions are
/// remembered by the implementation and restored after a reconnect.
public protocol MessageBus: Sendable {
    /// Publishes a message. QoS 0 messages published while disconnected are dropped; QoS 1 messages are
    /// queued and sent on reconnect.
    func publish(_ message: BusMessage) throws

    /// Subscribes to a topic filter (MQTT wildcards `+` and `#` allowed).
    func subscribe(to filter: String, delivery: DeliveryGuarantee) throws

    /// Removes a subscription.
    func unsubscribe(from filter: String) throws

    /// The current link state.
    var connectionState: BusConnectionState { get }

    /// Every message that arrives on any subscription, in arrival order. There is one consumer.
    var messages: AsyncStream<BusMessage> { get }
}
