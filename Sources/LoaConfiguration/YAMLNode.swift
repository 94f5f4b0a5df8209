/// One node of a YAML document as libyaml parsed it: a scalar, a mapping or a list, and the line it starts on, so
/// every error can say `file:line`.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case mapping(Mapping)
        case sequence([YAMLNode])
    }

    /// A scalar's text, and whether it was written plain (unquoted): only plain scalars are numbers or booleans,
    /// so `"42"` in quotes stays text, as YAML means.
    public struct Scalar: Sendable {
        public let string: String
        public let isPlain: Bool
    }

    /// A mapping's pairs in the order written. Keys are scalars; the reader refuses a key given twice.
    public struct Mapping: Sendable, Sequence {
        public let pairs: [(key: YAMLNode, value: YAMLNode)]

        public var keys: [YAMLNode] { pairs.map(\.key) }

        public subscript(key: String) -> YAMLNode? {
            pairs.first { $0.key.scalar?.string == key }?.value
        }

        public func makeIterator() -> IndexingIterator<[(key: YAMLNode, value: YAMLNode)]> {
            pairs.makeIterator()
        }
    }

    /// Where a node starts in its file (1-based line).
    public struct Mark: Sendable {
        public let line: Int
    }

    public let content: Content
    public let mark: Mark?

    public init(_ content: Content, line: Int?) {
        self.content = content
        self.mark = line.map(Mark.init(line:))
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    public var mapping: Mapping? {
        if case .mapping(let mapping) = content { mapping } else { nil }
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { items } else { nil }
    }

    /// A plain scalar that is a whole number in decimal (`42`, `-3`, `+7`, `1_000`). Octal, hex and sexagesimal
    /// forms are not numbers here: an operator's `080` means eighty, not an error or sixty-four.
    public var int: Int? {
        guard let text = plainText, let first = text.first else { return nil }
        let digits = first == "-" || first == "+" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(first == "+" ? String(digits) : text)
    }

    /// A plain scalar that is a decimal number (`2.5`, `-80`, `1e3`).
    public var float: Double? {
        guard let text = plainText, text.allSatisfy({ "0123456789.+-eE".contains($0) }) else { return nil }
        return Double(text)
    }

    /// A plain `true`/`false` (also YAML 1.1's `yes`/`no`, `on`/`off`), in any case.
    public var bool: Bool? {
        switch plainText?.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    /// A plain scalar's text, underscores between digits left out.
    private var plainText: String? {
        guard let scalar, scalar.isPlain else { return nil }
        return scalar.string.replacing("_", with: "")
    }
}
