/// Rewrites Vietnamese text into the words a TTS voice should say: dates, times, numbers, percentages, units and
/// common abbreviations. Pure and table-driven: ``rules`` are applied in order, each a pattern and a rewrite.
///
/// ```
/// "UBND xã họp lúc 17h30 ngày 24/12/2026, 1.068 hộ"
/// → "Ủy ban nhân dân xã họp lúc mười bảy giờ ba mươi phút ngày hai mươi bốn tháng mười hai năm hai nghìn
///    không trăm hai mươi sáu, một nghìn không trăm sáu mươi tám hộ"
/// ```
///
/// Readings follow ``VietnameseNumberReader`` (northern standard). Dates: days 1–10 take "mồng" ("ngày mồng
/// một tháng năm"), April is "tháng tư", the year is a cardinal. Times: "17h30" and "17:30" read "mười bảy giờ
/// ba mươi phút", "17h" and "17h00" read "mười bảy giờ".
public struct VietnameseTextNormalizer: Sendable {
    /// One rewrite: a regular expression and what to put in place of each match (nil leaves it as it is).
    public struct Rule: Sendable {
        public let name: String
        public let pattern: String
        public let rewrite: @Sendable (_ captures: [Substring?]) -> String?

        public init(name: String, pattern: String, rewrite: @escaping @Sendable (_ captures: [Substring?]) -> String?) {
            self.name = name
            self.pattern = pattern
            self.rewrite = rewrite
        }
    }

    public let rules: [Rule]

    public init(rules: [Rule] = VietnameseTextNormalizer.standardRules) {
        self.rules = rules
    }

    /// `text` in NFC with every rule applied, runs of spaces collapsed.
    ///
    /// NFC comes first: text pasted from the web or a Mac is often decomposed (NFD, "ư" as "u" and a combining
    /// horn), and espeak-ng reads decomposed letters as bare ones: "thưa" goes to the English voice, "nhân dân"
    /// and "thông" get the wrong vowels.
    public func normalize(_ text: String) -> String {
        var result = text.canonicallyComposed
        for rule in rules {
            // The patterns are fixed strings in this file; a bad one is a programming error caught by the tests.
            guard let regex = try? Regex(rule.pattern) else { preconditionFailure("bad pattern in rule \(rule.name)") }
            result = result.replacing(regex) { match in
                let captures = (0..<match.output.count).map { match.output[$0].substring }
                return rule.rewrite(captures) ?? String(match.output[0].substring ?? "")
            }
        }
        return result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Units read after a number.
    public static let units: [(symbol: String, reading: String)] = [
        ("km", "ki-lô-mét"), ("cm", "xen-ti-mét"), ("mm", "mi-li-mét"), ("m2", "mét vuông"), ("m²", "mét vuông"),
        ("m3", "mét khối"), ("m³", "mét khối"), ("m", "mét"), ("kg", "ki-lô-gam"), ("ha", "héc-ta"),
        ("đ", "đồng"), ("VNĐ", "đồng"), ("°C", "độ C"),
    ]

    /// The standard rules, in the order they run.
    public static let standardRules: [Rule] = [
        Rule(name: "abbreviation", pattern: wordAlternation(VietnameseAbbreviations.table.map(\.abbreviation))) {
            captures in
            guard let word = captures[1] else { return nil }
            return VietnameseAbbreviations.table.first { $0.abbreviation == word }?.reading
        },
        // 24/12/2026, 24-12-2026, optionally after "ngày".
        Rule(name: "date", pattern: #"(?:([Nn]gày)\s+)?\b(\d{1,2})([/-])(\d{1,2})\3(\d{4})\b"#) { captures in
            guard let day = Int(captures[2]!), let month = Int(captures[4]!), let year = Int(captures[5]!),
                (1...31).contains(day), (1...12).contains(month)
            else { return nil }
            let ngay = captures[1].map(String.init) ?? "ngày"
            return
                "\(ngay) \(readDay(day)) tháng \(VietnameseNumberReader.readMonth(month)) năm \(VietnameseNumberReader.read(year))"
        },
        // "ngày 24/12" (a day and month need "ngày" before them; a bare 1/2 may be a fraction).
        Rule(name: "day and month", pattern: #"\b([Nn]gày)\s+(\d{1,2})/(\d{1,2})\b(?!/)"#) { captures in
            guard let day = Int(captures[2]!), let month = Int(captures[3]!), (1...31).contains(day),
                (1...12).contains(month)
            else { return nil }
            return "\(captures[1]!) \(readDay(day)) tháng \(VietnameseNumberReader.readMonth(month))"
        },
        // "12/2026", optionally after "tháng".
        Rule(name: "month and year", pattern: #"(?:\b([Tt]háng)\s+)?\b(\d{1,2})/(\d{4})\b"#) { captures in
            guard let month = Int(captures[2]!), let year = Int(captures[3]!), (1...12).contains(month) else {
                return nil
            }
            let thang = captures[1].map(String.init) ?? "tháng"
            return "\(thang) \(VietnameseNumberReader.readMonth(month)) năm \(VietnameseNumberReader.read(year))"
        },
        // 17h30, 17:30, 17h, 17h00.
        Rule(name: "time", pattern: #"\b(\d{1,2})(?:[hH](\d{2})?|:(\d{2}))\b"#) { captures in
            guard let hour = Int(captures[1]!), (0...24).contains(hour) else { return nil }
            let minutes = captures[2] ?? captures[3]
            guard let minutes, let minute = Int(minutes), minute != 0 else {
                return "\(VietnameseNumberReader.read(hour)) giờ"
            }
            guard minute < 60 else { return nil }
            return "\(VietnameseNumberReader.read(hour)) giờ \(VietnameseNumberReader.read(minute)) phút"
        },
        // "thứ 2" → "thứ hai", "thứ 4" → "thứ tư", "thứ 1" → "thứ nhất".
        Rule(name: "ordinal", pattern: #"\b([Tt]hứ)\s+(\d{1,2})\b"#) { captures in
            guard let number = Int(captures[2]!) else { return nil }
            return "\(captures[1]!) \(VietnameseNumberReader.readOrdinal(number))"
        },
        Rule(name: "percent", pattern: #"\b(\d+(?:\.\d{3})*)(?:,(\d+))?\s?%"#) { captures in
            "\(readNumber(captures[1]!, fraction: captures[2])) phần trăm"
        },
        Rule(
            name: "unit",
            pattern: #"\b(\d+(?:\.\d{3})*)(?:,(\d+))?\s?("# + alternation(units.map(\.symbol)) + #")(?![\p{L}\p{N}])"#
        ) {
            captures in
            guard let symbol = captures[3], let unit = units.first(where: { $0.symbol == symbol }) else { return nil }
            return "\(readNumber(captures[1]!, fraction: captures[2])) \(unit.reading)"
        },
        // 1.068, 1.000.000, 2.500,75 (dots group thousands, the comma marks decimals).
        Rule(name: "number", pattern: #"\b(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\b"#) { captures in
            readNumber(captures[1]!, fraction: captures[2])
        },
    ]

    /// A day of the month: 1–10 take "mồng" (northern), the rest are cardinals.
    static func readDay(_ day: Int) -> String {
        day <= 10 ? "mồng \(VietnameseNumberReader.read(day))" : VietnameseNumberReader.read(day)
    }

    static func readNumber(_ integer: Substring, fraction: Substring?) -> String {
        let digits = Substring(integer.filter { $0 != "." })
        guard let fraction else { return VietnameseNumberReader.read(digits: digits) }
        return VietnameseNumberReader.read(integerPart: digits, fraction: fraction)
    }

    /// `\b(A|B|…)(?![\p{L}\p{N}])`: whole words from a list, longest first, escaped. (Swift's regular
    /// expressions have no lookbehind; `\b` uses Unicode word boundaries.)
    static func wordAlternation(_ words: [String]) -> String {
        #"\b("# + alternation(words) + #")(?![\p{L}\p{N}])"#
    }

    static func alternation(_ words: [String]) -> String {
        words.sorted { $0.count > $1.count }.map(escape).joined(separator: "|")
    }

    static func escape(_ literal: String) -> String {
        var escaped = ""
        for character in literal {
            if "\\^$.|?*+()[]{}/&-#".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
