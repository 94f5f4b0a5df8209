/// Byte-level damage on top of a structured input: what a bad link, a broken firmware or an attacker sends.
public enum ByteMutator {
    /// Bytes that break parsers: invalid UTF-8 (lone continuation, overlong, surrogate, beyond U+10FFFF), NUL,
    /// JSON's structural characters.
    static let tokens: [[UInt8]] = [
        [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE], [0x00],
        Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8), Array("\"".utf8), Array(",".utf8),
        Array(":".utf8), Array("\\".utf8), Array("\\u".utf8), Array("\\ud800".utf8), Array("-".utf8),
        Array("e999".utf8), Array("null".utf8), Array("1".utf8),
    ]

    /// Applies 1 to `count` random edits.
    public static func mutate(_ bytes: inout [UInt8], count: Int = 3, using random: inout FuzzRandom) {
        for _ in 0..<random.int(1...max(1, count)) { mutateOnce(&bytes, using: &random) }
    }

    static func mutateOnce(_ bytes: inout [UInt8], using random: inout FuzzRandom) {
        let position = bytes.isEmpty ? 0 : random.int(0...bytes.count - 1)
        switch random.int(0...8) {
        case 0 where !bytes.isEmpty:
            bytes[position] ^= 1 << UInt8(random.int(0...7))
        case 1 where !bytes.isEmpty:
            bytes[position] = random.pick([0, 0x7F, 0x80, 0xFF, UInt8.random(in: 0...255, using: &random)])
        case 2:
            bytes.removeLast(random.int(0...bytes.count))
        case 3 where !bytes.isEmpty:
            bytes.removeSubrange(position..<min(bytes.count, position + random.int(1...16)))
        case 4:
            bytes.insert(contentsOf: random.pick(tokens), at: position)
        case 5:
            bytes.insert(
                contentsOf: (0..<random.int(1...8)).map { _ in UInt8.random(in: 0...255, using: &random) },
                at: position
            )
        case 6 where !bytes.isEmpty:
            let end = min(bytes.count, position + random.int(1...64))
            bytes.insert(contentsOf: bytes[position..<end], at: random.int(0...bytes.count))
        case 7 where bytes.count > 1:
            let other = random.int(0...bytes.count - 1)
            bytes.swapAt(position, other)
        default:
            bytes.append(contentsOf: random.pick(tokens))
        }
    }
}
