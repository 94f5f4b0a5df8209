/// An MQTT topic filter (`loa/v1/xa/rx/+/events`, `loa/#`) and the broker's rule for which topics it
/// matches, so that a consumer in the controller sees exactly what its subscription would bring it.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter as it is subscribed.
    public let text: String
    private let levels: [Substring]

    /// - Throws: if `text` is not a valid MQTT filter: empty, `#` not alone and last in its level, or `+`
    ///   sharing a level with other characters (MQTT 3.1.1 §4.7.1, MQTT 5 §4.7.1).
    public init(_ text: String) throws(ConfigurationError) {
        let levels = text.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            let misplacedHash = level.contains("#") && (level != "#" || index != levels.count - 1)
            let misplacedPlus = level.contains("+") && level != "+"
            guard !text.isEmpty, !misplacedHash, !misplacedPlus else {
                throw ConfigurationError(
                    key: "topic filter",
                    value: text,
                    problem: "is not an MQTT topic filter: '#' must be a whole last level and '+' a whole level"
                )
            }
        }
        self.text = text
        self.levels = levels
    }

    /// Whether a message published on `topic` is delivered to this filter. Wildcards in the first level do
    /// not match topics that start with `$` (broker-internal topics such as `$SYS`).
    public func matches(_ topic: String) -> Bool {
        let topicLevels = topic.split(separator: "/", omittingEmptySubsequences: false)
        if topic.hasPrefix("$"), let first = levels.first, first == "+" || first == "#" { return false }
        for (index, level) in levels.enumerated() {
            if level == "#" { return true }
            guard index < topicLevels.count else { return false }
            if level != "+" && level != topicLevels[index] { return false }
        }
        return levels.count == topicLevels.count
    }

    /// Whether every topic `other` matches is matched by this filter too (`a/+/+` covers `a/+/events`,
    /// `a/#` covers `a`). A client subscribed to both would get such a message once per filter.
    public func covers(_ other: TopicFilter) -> Bool {
        for (index, level) in levels.enumerated() {
            if level == "#" { return true }
            guard index < other.levels.count else { return false }
            let theirs = other.levels[index]
            if theirs == "#" { return false }
            if level != "+" && level != theirs { return false }
        }
        return levels.count == other.levels.count
    }

    /// A filter the core built from validated topic levels (``TopicTree``): no check needed.
    init(trusted text: String) {
        self.text = text
        self.levels = text.split(separator: "/", omittingEmptySubsequences: false)
    }

    public var description: String { text }
}
