/// The Loa topic tree for one site: `{prefix}/v{version}/{site}/…`. See docs/protocol.md, the contract with
/// receiver firmware; change it there first.
public struct TopicTree: Sendable, Hashable {
    /// The protocol's major version, part of every topic so old and new receivers never misread each other.
    public static let protocolVersion = 1

    public let site: String
    public let root: String

    /// - Parameters:
    ///   - site: the commune's id; a single topic level of lowercase letters, digits, `-` and `_`.
    ///   - prefix: the first topic level, `loa` unless the broker is shared with other systems.
    public init(site: String, prefix: String = "loa") throws(ConfigurationError) {
        try Self.validateLevel(site, key: "site")
        try Self.validateLevel(prefix, key: "topic prefix")
        self.site = site
        self.root = "\(prefix)/v\(Self.protocolVersion)/\(site)"
    }

    /// The controller's own availability: retained `online` birth, `offline` will.
    public var controllerStatus: String { "\(root)/controller/status" }

    /// A receiver's retained availability.
    public func receiverStatus(_ id: String) -> String { "\(root)/rx/\(id)/status" }
    /// A receiver's periodic telemetry.
    public func receiverTelemetry(_ id: String) -> String { "\(root)/rx/\(id)/telemetry" }
    /// A receiver's events: acknowledgements, sessions, rejections.
    public func receiverEvents(_ id: String) -> String { "\(root)/rx/\(id)/events" }
    /// Every receiver's status, telemetry and events, for the controller's monitor.
    public var allReceivers: String { "\(root)/rx/+/+" }
    /// ``allReceivers`` as a filter the controller routes by.
    public var allReceiversFilter: TopicFilter { TopicFilter(trusted: allReceivers) }
    /// Every receiver's events only, for the broadcast log.
    public var allReceiverEvents: TopicFilter { TopicFilter(trusted: "\(root)/rx/+/events") }
    /// The controller's retained key rotations (protocol v1 draft 7), signed each by the key it replaces.
    public var controllerKey: String { "\(root)/controller/key" }
    /// The controller's own retained status, which it watches so that nobody can overwrite it for good.
    public var controllerStatusFilter: TopicFilter { TopicFilter(trusted: controllerStatus) }

    /// Signed commands to `target`.
    public func commands(_ target: Channel) -> String { "\(root)/cmd/\(target.tail)" }
    /// Audio messages for `target`.
    public func audio(_ target: Channel) -> String { "\(root)/audio/\(target.tail)" }

    /// Who a command or an audio message is for: everyone, one zone, or one receiver.
    public enum Channel: Sendable, Hashable, CustomStringConvertible {
        case all
        case zone(String)
        case receiver(String)

        /// The topic's tail after `cmd/` or `audio/`: `all`, `zone/{zone}`, `rx/{id}`.
        public var tail: String {
            switch self {
            case .all: "all"
            case .zone(let zone): "zone/\(zone)"
            case .receiver(let id): "rx/\(id)"
            }
        }

        public init?(tail: String) {
            let parts = tail.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch (parts.first, parts.count) {
            case ("all", 1): self = .all
            case ("zone", 2): self = .zone(parts[1])
            case ("rx", 2): self = .receiver(parts[1])
            default: return nil
            }
        }

        public var description: String { tail }
    }

    /// The channels a receiver listens on: everyone, its zone, itself.
    public static func channels(receiver id: String, zone: String) -> [Channel] {
        [.all, .zone(zone), .receiver(id)]
    }

    /// The tail of `topic` after `{root}/{kind}/`, or nil if it is not under it.
    public func tail(of topic: String, kind: String) -> String? {
        let prefix = "\(root)/\(kind)/"
        guard topic.hasPrefix(prefix) else { return nil }
        return String(topic.dropFirst(prefix.count))
    }

    /// Whether `level` is a plain topic word: 1-64 characters of `a-z`, `0-9`, `-`, `_`. Site, zone and
    /// receiver ids all become topic levels, so all follow this one rule: no wildcards, separators or spaces
    /// that would change what a subscription matches.
    public static func isValidLevel(_ level: String) -> Bool {
        guard !level.isEmpty, level.utf8.count <= 64 else { return false }
        return level.utf8.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F
        }
    }

    /// Checks `level` with ``isValidLevel(_:)``; the error names `key` and says what is allowed.
    public static func validateLevel(_ level: String, key: String) throws(ConfigurationError) {
        guard isValidLevel(level) else {
            throw ConfigurationError(
                key: key,
                value: level,
                problem: "must be 1-64 characters of a-z, 0-9, '-' or '_' (it becomes an MQTT topic level)"
            )
        }
    }
}
