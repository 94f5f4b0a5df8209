import LoaCore

/// Who one receiver is on the broker: its id (its topics' level) and its zone (the commands and audio
/// channel it listens to besides `all` and its own).
public struct ReceiverIdentity: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var zone: String

    /// Checks both as topic levels, as the protocol requires of ids and zones.
    public init(id: String, zone: String) throws(ConfigurationError) {
        try TopicTree.validateLevel(id, key: "id")
        try TopicTree.validateLevel(zone, key: "zone")
        self.id = id
        self.zone = zone
    }

    public var description: String { "\(id) (zone \(zone))" }
}
