import LoaCore
import Yams

/// A YAML mapping read strictly: unknown keys and wrong types are errors that carry `file:line`, so an
/// operator's typo never silently falls back to a default.
struct YAMLMapping {
    let mapping: Node.Mapping
    let file: String
    /// Dotted path of this mapping inside the document ("" at the top, "mqtt." below), for messages.
    let path: String

    /// Parses a whole document whose top level must be a mapping. An empty document is an empty mapping.
    init(document text: String, file: String) throws(ConfigurationError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(key: "config file", value: file, problem: "is not valid YAML: \(error.summary)")
        } catch {
            throw ConfigurationError(key: "config file", value: file, problem: "is not valid YAML: \(error)")
        }
        guard let root else {
            self.init(mapping: Node.Mapping([]), file: file, path: "")
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

    init(mapping: Node.Mapping, file: String, path: String) {
        self.mapping = mapping
        self.file = file
        self.path = path
    }

    /// Rejects any key not in `allowed`, naming the first unknown one and where it is.
    func rejectUnknownKeys(allowed: [String]) throws(ConfigurationError) {
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !allowed.contains(name) {
                throw ConfigurationError(
                    key: "\(path)\(name)",
                    problem: "is not a known setting; known settings here: \(allowed.joined(separator: ", "))",
                    location: Self.location(file, key.mark)
                )
            }
        }
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let node = mapping[key] else { return nil }
        guard let scalar = node.scalar else {
            throw typeError(key, node, expected: "a single value")
        }
        return scalar.string
    }

    func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.int else { throw typeError(key, node, expected: "a whole number") }
        return value
    }

    func mapping(_ key: String) throws(ConfigurationError) -> YAMLMapping? {
        guard let node = mapping[key] else { return nil }
        guard let child = node.mapping else { throw typeError(key, node, expected: "a mapping of 'key: value' lines") }
        return YAMLMapping(mapping: child, file: file, path: "\(path)\(key).")
    }

    func sequence(_ key: String) throws(ConfigurationError) -> [Node]? {
        guard let node = mapping[key] else { return nil }
        guard let items = node.sequence else { throw typeError(key, node, expected: "a list") }
        return Array(items)
    }

    /// `file:line` of a key's value, for messages about a value that parsed but is not acceptable.
    func location(of key: String) -> String {
        Self.location(file, mapping[key]?.mark)
    }

    func typeError(_ key: String, _ node: Node, expected: String) -> ConfigurationError {
        ConfigurationError(
            key: "\(path)\(key)",
            problem: "must be \(expected)",
            location: Self.location(file, node.mark)
        )
    }

    static func location(_ file: String, _ mark: Mark?) -> String {
        mark.map { "\(file):\($0.line)" } ?? file
    }
}

extension YamlError {
    /// libyaml's message with its position, on one line.
    var summary: String {
        "\(self)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(self)"
    }
}
