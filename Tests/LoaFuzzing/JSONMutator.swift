/// Structure-aware damage to a JSON message: wrong types, huge and non-finite numbers, duplicate, missing,
/// swapped and unknown keys, long and strange strings, deep nesting. Values stay near the real ones (enum
/// words, session ids) so a mutant often gets past the first checks.
public struct JSONMutator: Sendable {
    /// Words the messages use, so a swap lands on a valid-looking value of another field.
    public var words: [String]
    /// How large a mutant may grow; the deep-nesting and long-string cases stay near the parser's limit.
    public var sizeLimit: Int

    public init(words: [String], sizeLimit: Int) {
        self.words = words
        self.sizeLimit = sizeLimit
    }

    static let numbers = [
        "0", "-0", "1", "-1", "0.5", "-0.0", "1e999", "-1e999", "1e-999", "4.9e-324", "1.7976931348623157e308",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "9007199254740993", "2147483648", "4294967296",
        "100", "101", "3600", "3601", "-150", "-151", "1e2", "1E+2", "01", "1.", ".5", "+1", "1e", "0x10",
        String(repeating: "9", count: 400), "1" + String(repeating: "0", count: 40) + ".5",
    ]
    static let rawFragments = [
        "NaN", "Infinity", "-Infinity", "nan", "inf", "undefined", "True", "nul", "\"\\ud800\"", "\"\\udc00\\ud800\"",
        "\"\\u0000\"", "\"\\uZZZZ\"", "\"\\x41\"", "\"unterminated", "'single'", "[1,]", "{\"a\":1,}", "[", "{", "",
    ]
    static let strings = [
        "", " ", "NaN", "inf", "-inf", "Infinity", "nan", "1e999", "null", "true", "0", "-1", "*", "/", "+", "#",
        "s-", "s-0000000000000000", "s-ffffffffffffffff", "s-FFFFFFFFFFFFFFFF", "s-+fffffffffffffff",
        "s--000000000000001", "s-10000000000000000", "s-ốốốốốốốốốốốốốốốố", "s-000000000000000\u{301}",
        "all", "zone/", "zone/a/b", "rx/", "rx/r1", "Thông báo khẩn: bão số 3", "\u{FEFF}", "\u{0}", "\u{202E}",
        "e\u{301}", "🇻🇳", "\u{10FFFF}",
    ]

    /// Replaces, removes, duplicates or swaps 1 to `count` things in `tree`.
    public func mutate(_ tree: inout JSONTree, count: Int = 3, using random: inout FuzzRandom) {
        for _ in 0..<random.int(1...max(1, count)) { mutateOnce(&tree, depth: 0, using: &random) }
    }

    func mutateOnce(_ tree: inout JSONTree, depth: Int, using random: inout FuzzRandom) {
        switch tree {
        case .object(var pairs) where !pairs.isEmpty && random.chance(depth == 0 ? 85 : 60):
            let index = random.int(0...pairs.count - 1)
            switch random.int(0...9) {
            case 0: pairs.remove(at: index)
            case 1:
                var copy = pairs[index]
                copy.value = value(using: &random)
                pairs.insert(copy, at: random.int(0...pairs.count))
            case 2:
                let other = random.int(0...pairs.count - 1)
                (pairs[index].value, pairs[other].value) = (pairs[other].value, pairs[index].value)
            case 3: pairs.append(JSONTree.Pair(random.pick(words + ["x", "V", "\u{0}", ""]), value(using: &random)))
            case 4: pairs[index].key = random.pick([pairs[index].key.uppercased(), pairs[index].key + " ", ""])
            case 5, 6: mutateOnce(&pairs[index].value, depth: depth + 1, using: &random)
            default: pairs[index].value = value(using: &random)
            }
            tree = .object(pairs)
        case .array(var items) where !items.isEmpty && random.chance(60):
            let index = random.int(0...items.count - 1)
            switch random.int(0...4) {
            case 0: items.remove(at: index)
            case 1: items.insert(items[index], at: index)
            case 2: items.append(contentsOf: Array(repeating: items[index], count: random.int(1...60)))
            default: mutateOnce(&items[index], depth: depth + 1, using: &random)
            }
            tree = .array(items)
        default:
            tree = value(using: &random)
        }
    }

    /// A value of any type, most of them ones a decoder must refuse or bound.
    func value(using random: inout FuzzRandom) -> JSONTree {
        switch random.int(0...11) {
        case 0: return .null
        case 1: return .bool(random.chance(50))
        case 2, 3: return .number(random.pick(Self.numbers))
        case 4: return .number(String(Int64.random(in: .min ... .max, using: &random)))
        case 5: return .raw(random.pick(Self.rawFragments))
        case 6, 7: return .string(random.pick(random.chance(50) ? words : Self.strings))
        case 8: return .string(longString(using: &random))
        case 9: return .raw(deepNesting(using: &random))
        case 10: return .array((0..<random.int(0...4)).map { _ in .number(random.pick(Self.numbers)) })
        default: return .object([JSONTree.Pair(random.pick(words), .string(random.pick(Self.strings)))])
        }
    }

    func longString(using random: inout FuzzRandom) -> String {
        let unit = random.pick(["a", "ố", "\\", "\"", "🇻🇳", "\u{301}", "\n"])
        return String(repeating: unit, count: random.int(1...max(1, sizeLimit / 2)))
    }

    /// `[[[…]]]` or `{"a":{"a":…}}` up to the size limit, sometimes unclosed.
    func deepNesting(using random: inout FuzzRandom) -> String {
        let object = random.chance(30)
        let open = object ? "{\"a\":" : "["
        let depth = random.int(1...max(1, sizeLimit / open.utf8.count))
        let close = random.chance(80) ? String(repeating: object ? "}" : "]", count: depth) : ""
        return String(repeating: open, count: depth) + (object ? "1" : "") + close
    }
}
