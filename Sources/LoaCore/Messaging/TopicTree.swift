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

    /// Topic levels must be plain words: no wildcards, separators or spaces that would change what a
    /// subscription matches.
    static func validateLevel(_ level: String, key: String) throws(ConfigurationError) {
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
