import LoaCore

/// Who one receiver is on the broker: its id (its topics' level) and its zone (the commands and audio
/// channel it listens to besides `all` and its own).
public struct ReceiverIdentity: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var zone: String

    /// Checks both as topic levels, as the protocol requires of ids and zones.
    public init(id: String, zone: String) throws(ConfigurationError) {
        try Self.validate(id, key: "id")
        try Self.validate(zone, key: "zone")
        self.id = id
        self.zone = zone
    }

    public var description: String { "\(id) (zone \(zone))" }

    /// Same rule as the site id: 1–64 characters of `a-z`, `0-9`, `-`, `_`.
    static func validate(_ level: String, key: String) throws(ConfigurationError) {
        let allowed = level.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard !level.isEmpty, level.count <= 64, allowed else {
            throw ConfigurationError(
                key: key, value: level,
                problem: "must be 1-64 characters of a-z, 0-9, '-' or '_' (it becomes an MQTT topic level)")
        }
    }
}
