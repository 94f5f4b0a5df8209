/// How hard the broker tries to deliver a message (MQTT QoS). Loa uses only 0 and 1: audio frames are
/// worthless when late, and control messages are idempotent, so exactly-once (QoS 2) buys nothing.
public enum DeliveryGuarantee: Int, Sendable, Hashable, Codable {
    /// QoS 0: fire and forget.
    case atMostOnce = 0
    /// QoS 1: acknowledged, possibly duplicated.
    case atLeastOnce = 1
}

/// One message on the bus, as published or as received. The payload is owned bytes, never a pointer
/// into a C library's buffer.
public struct BusMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]
    public var delivery: DeliveryGuarantee
    public var retain: Bool

    public init(topic: String, payload: [UInt8], delivery: DeliveryGuarantee = .atMostOnce, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.delivery = delivery
        self.retain = retain
    }

    public init(topic: String, text: String, delivery: DeliveryGuarantee = .atMostOnce, retain: Bool = false) {
        self.init(topic: topic, payload: Array(text.utf8), delivery: delivery, retain: retain)
    }
}
