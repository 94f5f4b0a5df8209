import CYAML
import LoaCore

/// Reads a YAML document into ``YAMLNode``s with libyaml's event parser: the same parser Yams wraps, without
/// Foundation, so neither `loa` nor `loa-receiver` needs the full framework (and ICU) to read its config (issue 19).
///
/// One document at most; anchors and aliases are followed; tags are ignored (every scalar is read by what the
/// setting expects). A key given twice in one mapping is an error, naming both lines.
enum YAMLComposer {
    /// The document's root node, or nil for an empty document.
    static func compose(_ text: String, file: String) throws(ConfigurationError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigurationError(
                key: "config file",
                value: file,
                problem: "cannot be read: out of memory",
                origin: .configFile
            )
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(ConfigurationError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var composer = Composition(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw invalid(file, problem: parser.problem, line: Int(parser.problem_mark.line) + 1)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return composer.root }
                try composer.take(event)
            }
        }
    }

    static func invalid(_ file: String, problem: UnsafePointer<CChar>?, line: Int) -> ConfigurationError {
        let reason = problem.map { String(cString: $0) } ?? "a syntax error"
        return ConfigurationError(
            key: "config file",
            value: file,
            problem: "is not valid YAML: \(reason) (line \(line))",
            location: "\(file):\(line)"
        )
    }

    /// The nodes being built, innermost last.
    private struct Composition {
        let file: String
        var root: YAMLNode?
        var open: [Collection] = []
        var anchors: [String: YAMLNode] = [:]
        var documents = 0

        struct Collection {
            let line: Int
            let anchor: String?
            var items: [YAMLNode] = []
            /// Nil for a list; a mapping's pairs otherwise (its pending key is the last of `items`).
            var pairs: [(key: YAMLNode, value: YAMLNode)]?
        }

        init(file: String) { self.file = file }

        mutating func take(_ event: yaml_event_t) throws(ConfigurationError) {
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                guard documents == 1 else {
                    throw ConfigurationError(
                        key: "config file",
                        value: file,
                        problem: "holds more than one YAML document; keep one (remove the second `---`)",
                        location: "\(file):\(line)"
                    )
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(
                    decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                    as: UTF8.self
                )
                let node = YAMLNode(
                    .scalar(YAMLNode.Scalar(string: text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)),
                    line: line
                )
                remember(node, as: Self.text(scalar.anchor))
                try add(node)
            case YAML_ALIAS_EVENT:
                let name = Self.text(event.data.alias.anchor) ?? ""
                guard let node = anchors[name] else {
                    throw ConfigurationError(
                        key: "config file",
                        value: file,
                        problem: "uses the alias *\(name), which no anchor (&\(name)) defines before it",
                        location: "\(file):\(line)"
                    )
                }
                try add(node)
            case YAML_SEQUENCE_START_EVENT:
                open.append(Collection(line: line, anchor: Self.text(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                open.append(Collection(line: line, anchor: Self.text(event.data.mapping_start.anchor), pairs: []))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let collection = open.popLast() else { return }
                let content: YAMLNode.Content =
                    collection.pairs.map { .mapping(YAMLNode.Mapping(pairs: $0)) } ?? .sequence(collection.items)
                let node = YAMLNode(content, line: collection.line)
                remember(node, as: collection.anchor)
                try add(node)
            default:
                break
            }
        }

        private mutating func remember(_ node: YAMLNode, as anchor: String?) {
            if let anchor { anchors[anchor] = node }
        }

        /// Puts a finished node where it belongs: the root, a list's next item, a mapping's key or its value.
        private mutating func add(_ node: YAMLNode) throws(ConfigurationError) {
            guard var collection = open.popLast() else {
                root = node
                return
            }
            defer { open.append(collection) }
            guard var pairs = collection.pairs else {
                collection.items.append(node)
                return
            }
            guard let key = collection.items.popLast() else {
                guard node.scalar != nil else {
                    throw ConfigurationError(
                        key: "config file",
                        value: file,
                        problem: "has a key that is not a single value; write keys as plain words",
                        location: YAMLMapping.location(file, node.mark)
                    )
                }
                collection.items.append(node)
                return
            }
            if let name = key.scalar?.string, let earlier = pairs.first(where: { $0.key.scalar?.string == name }) {
                throw ConfigurationError(
                    key: name,
                    problem: "is given twice (first at line \(earlier.key.mark?.line ?? 0)); keep one",
                    location: YAMLMapping.location(file, key.mark)
                )
            }
            pairs.append((key, node))
            collection.pairs = pairs
        }

        private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
