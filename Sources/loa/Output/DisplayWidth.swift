/// How many terminal columns text takes, counted per grapheme (a Swift `Character`), so that tables line up and a
/// cut never splits a letter from its accents.
///
/// A Vietnamese letter takes one column whether it comes precomposed (`ộ`, U+1ED9) or decomposed (`o` with U+0323
/// and U+0302, as some phones send it); East Asian wide characters and emoji take two, as terminals draw them.
/// The rules are those of `wcwidth`, without its dependence on the C locale.
enum DisplayWidth {
    /// The columns `text` takes.
    static func columns(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The columns one grapheme takes: 0 for a control or a lone mark, 2 for wide and emoji, 1 otherwise.
    static func columns(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let properties = first.properties
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0  // a mark with no letter before it, a joiner
        default: break
        }
        if properties.isEmojiPresentation { return 2 }
        // A text-style emoji (`❤`, `1`) drawn as an emoji because the variation selector U+FE0F asks for it.
        if properties.isEmoji, scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return isWide(first.value) ? 2 : 1
    }

    /// `text` cut to at most `limit` columns, ending in `…` when cut; unchanged when it fits. It is cut between
    /// graphemes only, so an accent never loses its letter, and a wide character that would straddle the limit
    /// goes whole (the cell is then a column short, filled by the table's padding).
    static func truncated(_ text: String, to limit: Int) -> String {
        guard columns(text) > limit else { return text }
        guard limit > 0 else { return "" }
        var kept = ""
        var used = 0
        for character in text {
            let width = columns(of: character)
            guard used + width <= limit - 1 else { break }
            kept.append(character)
            used += width
        }
        return kept + "…"
    }

    /// `text` followed by spaces up to `width` columns.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - columns(text)))
    }

    /// East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth.txt, as `wcwidth` groups them):
    /// Hangul Jamo, CJK, Kana, Hangul syllables, compatibility ideographs, fullwidth forms, the supplementary
    /// ideographic planes. Emoji are judged by their Unicode properties instead.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }
}
