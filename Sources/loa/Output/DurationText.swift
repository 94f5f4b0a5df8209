import Foundation

/// Lengths as operators type and read them: `90`, `90s`, `30m`, `1h`, `1h30m`.
enum DurationText {
    /// Seconds from `1h30m`, `45m`, `90s` or a bare number of seconds; nil when it is none of these.
    static func seconds(parsing text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let bare = Int(trimmed) { return bare }
        var total = 0
        var digits = ""
        var sawUnit = false
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits) else { return nil }
            switch character {
            case "h": total += value * 3_600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty ? total : nil
    }

    /// `1h30m`, `45m`, `1m05s`, `20s`.
    static func text(seconds: Int) -> String {
        let hours = seconds / 3_600
        let minutes = seconds % 3_600 / 60
        let rest = seconds % 60
        var parts: [String] = []
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 { parts.append(hours > 0 && minutes < 10 ? "0\(minutes)m" : "\(minutes)m") }
        if rest > 0 || parts.isEmpty { parts.append(parts.isEmpty || rest >= 10 ? "\(rest)s" : "0\(rest)s") }
        return parts.joined()
    }
}
