/// One account on the site's broker and the topics it may use: the access model of docs/protocol.md
/// ("Security"), which Loa writes out as the broker's ACL.
///
/// Accounts are named so that a receiver's can never be mistaken for the controller's: ids are one topic
/// level of `a-z0-9-_`, and every account name starts with what it is for. The name is also the MQTT client
/// id on the field listener, so nobody can take a device's client id and kick it off.
public struct BrokerAccount: Sendable, Hashable {
    public var name: String
    /// Topic filters it may subscribe to and receive from.
    public var reads: [String]
    /// Topics (or filters) it may publish on, its will included.
    public var writes: [String]

    public init(name: String, reads: [String], writes: [String]) {
        self.name = name
        self.reads = reads
        self.writes = writes
    }

    /// The controller: everything under the site's root.
    public static func controller(_ topics: TopicTree) -> BrokerAccount {
        BrokerAccount(
            name: controllerName(site: topics.site),
            reads: ["\(topics.root)/#"],
            writes: ["\(topics.root)/#"]
        )
    }

    /// A technician's or a monitoring system's window on the broker: reads everything under the root, sends
    /// nothing. Usable only on the gateway's loopback listener (its secret stays in the state dir).
    public static func observer(_ topics: TopicTree) -> BrokerAccount {
        BrokerAccount(name: observerName(site: topics.site), reads: ["\(topics.root)/#"], writes: [])
    }

    /// A receiver: publishes only its own status, telemetry and events; hears only its own channels (all,
    /// its zone, itself) and the controller's status and key.
    public static func receiver(id: String, zone: String, topics: TopicTree) -> BrokerAccount {
        let channels = TopicTree.channels(receiver: id, zone: zone)
        return BrokerAccount(
            name: receiverName(site: topics.site, id: id),
            reads: channels.map(topics.commands) + channels.map(topics.audio) + [
                topics.controllerStatus, topics.controllerKey,
            ],
            writes: [topics.receiverStatus(id), topics.receiverTelemetry(id), topics.receiverEvents(id)]
        )
    }

    public static func controllerName(site: String) -> String { "loa-ctl-\(site)" }
    public static func observerName(site: String) -> String { "loa-obs-\(site)" }
    /// Also the client id receivers have always used.
    public static func receiverName(site: String, id: String) -> String { "loa-rx-\(site)-\(id)" }
}
