/// What in a text the Vietnamese voice will not read as meant, in plain words for the operator: no accents,
/// emoji, letters of another script. Warnings, not refusals: the text still airs (a name in Latin letters is
/// fine), but the operator is told when saving instead of hearing it on the loudspeakers.
public enum VietnameseTextWarnings {
    /// At most this many examples are quoted in a warning.
    static let examples = 5

    /// The warnings for an announcement read aloud, nil for audio or text that reads as Vietnamese (so the API's
    /// JSON carries `warnings` only when there are some).
    public static func warnings(for announcement: Announcement) -> [String]? {
        guard case .tts(let text, _) = announcement.content else { return nil }
        let found = warnings(for: text)
        return found.isEmpty ? nil : found
    }

    /// The warnings for `text`, in a fixed order; empty when it reads as Vietnamese.
    public static func warnings(for text: String) -> [String] {
        let characters = Array(text.canonicallyComposed)
        var warnings: [String] = []
        let latin = characters.filter { $0.isLetter && isLatin($0) }
        if !latin.isEmpty, !latin.contains(where: isAccented) {
            warnings.append(
                "the text has no Vietnamese accents (dấu): the voice reads unaccented words as other words "
                    + "(\"thong bao\" is not \"thông báo\"); type it with accents"
            )
        }
        let emoji = distinct(characters.filter(isEmoji))
        if !emoji.isEmpty {
            warnings.append(
                "the text has emoji (\(quoted(emoji))): the voice skips them or reads their names; "
                    + "write what they mean in words"
            )
        }
        var scripts: [(name: String, letters: [Character])] = []
        for character in characters where character.isLetter && !isLatin(character) {
            let name = scriptName(of: character)
            if let index = scripts.firstIndex(where: { $0.name == name }) {
                scripts[index].letters.append(character)
            } else {
                scripts.append((name, [character]))
            }
        }
        for script in scripts {
            warnings.append(
                "the text has \(script.name) letters (\(quoted(distinct(script.letters)))): the Vietnamese voice "
                    + "cannot read them; write them in Vietnamese"
            )
        }
        return warnings
    }

    /// Basic Latin, Latin-1, Latin Extended-A and -B, and Latin Extended Additional (where most of Vietnamese's
    /// precomposed letters are).
    static func isLatin(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return scalar.value < 0x250 || (0x1E00...0x1EFF).contains(scalar.value)
    }

    /// A Latin letter with a mark (in NFC, one scalar past ASCII): â, ư, ơ, đ, and every tone.
    static func isAccented(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.value > 0x7F }
    }

    /// A pictograph shown as emoji: presented so by default, or asked for with U+FE0F. Digits, `#` and `*`
    /// have the emoji property too, so it alone is not enough.
    static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        return scalars.contains { $0.properties.isEmojiPresentation }
            || (scalars.contains { $0.value == 0xFE0F } && scalars.contains { $0.properties.isEmoji })
    }

    static func scriptName(of character: Character) -> String {
        let value = character.unicodeScalars.first?.value ?? 0
        switch value {
        case 0x0370...0x03FF: return "Greek"
        case 0x0400...0x052F: return "Cyrillic"
        case 0x0590...0x05FF: return "Hebrew"
        case 0x0600...0x06FF: return "Arabic"
        case 0x0E00...0x0E7F: return "Thai"
        case 0x0E80...0x0EFF: return "Lao"
        case 0x1780...0x17FF: return "Khmer"
        case 0x1100...0x11FF, 0xAC00...0xD7AF: return "Korean"
        case 0x3040...0x30FF: return "Japanese"
        case 0x2E80...0x2FFF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            return "Chinese"
        default: return "non-Latin"
        }
    }

    static func distinct(_ characters: [Character]) -> [Character] {
        var seen = Set<Character>()
        return characters.filter { seen.insert($0).inserted }
    }

    static func quoted(_ characters: [Character]) -> String {
        let shown = characters.prefix(examples).map(String.init).joined(separator: " ")
        return characters.count > examples ? shown + " …" : shown
    }
}
