import LoaCore

/// A YAML mapping read strictly: unknown keys and wrong types are errors that carry `file:line`, so an
/// operator's typo on the gateway, or an installer's on a pole, never silently falls back to a default.
///
/// The one reader of Loa's YAML files, for `loa serve` (its config file and `device-configs/`) and for
/// `loa receiver` alike.
public struct YAMLMapping {
    public let mapping: YAMLNode.Mapping
    public let file: String
    /// Dotted path of this mapping inside the document ("" at the top, "mqtt." below), for messages.
    public let path: String

    /// Parses a whole document whose top level must be a mapping. An empty document is an empty mapping.
    public init(document text: String, file: String) throws(ConfigurationError) {
        guard let root = try YAMLComposer.compose(text, file: file) else {
            self.init(mapping: YAMLNode.Mapping(pairs: []), file: file, path: "")
            return
        }
        guard let mapping = root.mapping else {
            throw ConfigurationError(
                key: "config file",
                value: file,
                problem: "must be a mapping of 'key: value' lines at its top level",
                location: Self.location(file, root.mark)
            )
        }
        self.init(mapping: mapping, file: file, path: "")
    }

    public init(mapping: YAMLNode.Mapping, file: String, path: String) {
        self.mapping = mapping
        self.file = file
        self.path = path
    }

    /// Rejects any key not in `allowed`, naming the first unknown one and where it is.
    public func rejectUnknownKeys(allowed: [String]) throws(ConfigurationError) {
        for key in mapping.keys {
            let name = key.scalar?.string ?? "(a key that is not a single value)"
            if !allowed.contains(name) {
                throw ConfigurationError(
                    key: "\(path)\(name)",
                    problem: "is not a known setting; known settings here: \(allowed.joined(separator: ", "))",
                    location: Self.location(file, key.mark)
                )
            }
        }
    }

    public func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let node = mapping[key] else { return nil }
        guard let scalar = node.scalar else {
            throw typeError(key, node, expected: "a single value")
        }
        return scalar.string
    }

    public func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.int else { throw typeError(key, node, expected: "a whole number") }
        return value
    }

    public func mapping(_ key: String) throws(ConfigurationError) -> YAMLMapping? {
        guard let node = mapping[key] else { return nil }
        guard let child = node.mapping else { throw typeError(key, node, expected: "a mapping of 'key: value' lines") }
        return YAMLMapping(mapping: child, file: file, path: "\(path)\(key).")
    }

    /// A single value or a list of single values.
    public func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let node = mapping[key] else { return nil }
        if let scalar = node.scalar { return [scalar.string] }
        guard let items = node.sequence else { throw typeError(key, node, expected: "a value or a list of values") }
        var values: [String] = []
        for item in items {
            guard let scalar = item.scalar else { throw typeError(key, item, expected: "a list of single values") }
            values.append(scalar.string)
        }
        return values
    }

    public func sequence(_ key: String) throws(ConfigurationError) -> [YAMLNode]? {
        guard let node = mapping[key] else { return nil }
        guard let items = node.sequence else { throw typeError(key, node, expected: "a list") }
        return items
    }

    /// `file:line` of a key's value, for messages about a value that parsed but is not acceptable.
    public func location(of key: String) -> String {
        Self.location(file, mapping[key]?.mark)
    }

    public func typeError(_ key: String, _ node: YAMLNode, expected: String) -> ConfigurationError {
        ConfigurationError(
            key: "\(path)\(key)",
            problem: "must be \(expected)",
            location: Self.location(file, node.mark)
        )
    }

    public static func location(_ file: String, _ mark: YAMLNode.Mark?) -> String {
        mark.map { "\(file):\($0.line)" } ?? file
    }
}
