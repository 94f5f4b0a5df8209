/// JSON as a tree the mutator can bend in ways no encoder writes: duplicate keys (an object is a list of
/// pairs), numbers kept as their text (`1e999`, `-0`), and raw fragments (`NaN`, a lone `\ud800`).
public indirect enum JSONTree: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    /// Written out verbatim: for what is not JSON at all.
    case raw(String)
    case array([JSONTree])
    case object([Pair])

    public struct Pair: Sendable, Hashable {
        public var key: String
        public var value: JSONTree

        public init(_ key: String, _ value: JSONTree) {
            self.key = key
            self.value = value
        }
    }

    /// Reads what a real encoder wrote; nil for anything else (the seeds are always valid JSON).
    public init?(parsing bytes: [UInt8]) {
        var parser = Parser(bytes: bytes)
        guard let tree = parser.value() else { return nil }
        self = tree
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let value): out += Array((value ? "true" : "false").utf8)
        case .number(let text), .raw(let text): out += Array(text.utf8)
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(pair.key, to: &out)
                out.append(UInt8(ascii: ":"))
                pair.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0..<0x20: out += Array("\\u00\(byte < 16 ? "0" : "")\(String(byte, radix: 16))".utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A reader for valid JSON only; it keeps numbers as text.
    struct Parser {
        let bytes: [UInt8]
        var offset = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
        }

        mutating func value() -> JSONTree? {
            skipSpace()
            guard offset < bytes.count else { return nil }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var pairs: [Pair] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return .object(pairs)
                }
                while true {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
                    offset += 1
                    guard let item = value() else { return nil }
                    pairs.append(Pair(key, item))
                    skipSpace()
                    guard offset < bytes.count else { return nil }
                    offset += 1
                    if bytes[offset - 1] == UInt8(ascii: "}") { return .object(pairs) }
                    guard bytes[offset - 1] == UInt8(ascii: ",") else { return nil }
                }
            case UInt8(ascii: "["):
                offset += 1
                var items: [JSONTree] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(items)
                }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard offset < bytes.count else { return nil }
                    offset += 1
                    if bytes[offset - 1] == UInt8(ascii: "]") { return .array(items) }
                    guard bytes[offset - 1] == UInt8(ascii: ",") else { return nil }
                }
            case UInt8(ascii: "\""):
                return string().map { .string($0) }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                for (word, tree) in [("true", JSONTree.bool(true)), ("false", .bool(false)), ("null", .null)]
                where bytes[offset...].starts(with: word.utf8) {
                    offset += word.utf8.count
                    return tree
                }
                return nil
            default:
                let start = offset
                while offset < bytes.count, Array("+-.eE0123456789".utf8).contains(bytes[offset]) { offset += 1 }
                return offset > start ? .number(String(decoding: bytes[start..<offset], as: UTF8.self)) : nil
            }
        }

        mutating func string() -> String? {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
            offset += 1
            var out: [UInt8] = []
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\"), offset < bytes.count else {
                    out.append(byte)
                    continue
                }
                let escaped = bytes[offset]
                offset += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard offset + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
                    else { return nil }
                    offset += 4
                    out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(escaped)
                }
            }
            return nil
        }
    }
}
