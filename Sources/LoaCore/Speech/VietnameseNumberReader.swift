/// Reads numbers as Vietnamese words, the standard northern (Hà Nội) way a news reader says them.
///
/// The rules, each in a table or a line below so a site or a later issue can change them:
/// - Digits: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín.
/// - 10 is "mười", and 11–19 are "mười" plus the unit: 11 "mười một", 15 "mười lăm".
/// - 20–99 are "X mươi" plus the unit, where 1 becomes "mốt" (21 "hai mươi mốt") and 5 becomes "lăm"
///   (25 "hai mươi lăm"). 4 stays "bốn" (24 "hai mươi bốn"): the formal reading used on the radio and in the
///   spec example, though "hai mươi tư" is common in casual northern speech.
/// - A zero tens digit after hundreds is "linh" (105 "một trăm linh năm"); the south says "lẻ".
/// - Scales: "nghìn" (northern; the south says "ngàn"), "triệu", "tỷ"; "nghìn tỷ" for 10¹².
/// - A group after a higher non-zero group is read in full, hundreds included: 1.068 "một nghìn không trăm sáu
///   mươi tám", 2.005 "hai nghìn không trăm linh năm". All-zero groups are skipped: 1.000.500 "một triệu năm
///   trăm".
/// - A decimal comma is "phẩy" and the fraction is read as a number, keeping leading zeros: 3,05 "ba phẩy không
///   năm".
public enum VietnameseNumberReader {
    public static let digitWords = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    /// Scale words for each group of three digits, from the units up.
    public static let scaleWords = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ"]

    /// The largest number read as a whole; longer digit strings are read digit by digit.
    public static let maximum = 999_999_999_999_999

    /// `number` in words, e.g. 1068 → "một nghìn không trăm sáu mươi tám".
    public static func read(_ number: Int) -> String {
        if number < 0 { return "âm " + read(-number) }
        if number == 0 { return digitWords[0] }
        guard number <= maximum else { return readDigits(String(number)) }
        var groups: [Int] = []
        var rest = number
        while rest > 0 {
            groups.append(rest % 1000)
            rest /= 1000
        }
        var words: [String] = []
        var higherGroupRead = false
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            let group = groups[index]
            guard group != 0 else { continue }
            words.append(readGroup(group, full: higherGroupRead))
            if !scaleWords[index].isEmpty { words.append(scaleWords[index]) }
            higherGroupRead = true
        }
        return words.joined(separator: " ")
    }

    /// A string of digits: as a number when it has no leading zero and fits, else digit by digit
    /// ("0912" → "không chín một hai", as phone numbers and codes are read).
    public static func read(digits: Substring) -> String {
        if digits.count > 1, digits.first == "0" { return readDigits(digits) }
        guard digits.count <= 15, let value = Int(digits) else { return readDigits(digits) }
        return read(value)
    }

    /// Each digit in turn: "2026" → "hai không hai sáu".
    public static func readDigits<S: StringProtocol>(_ digits: S) -> String {
        digits.compactMap { $0.wholeNumberValue.map { digitWords[$0] } }.joined(separator: " ")
    }

    /// A decimal with a comma: "3,05" → "ba phẩy không năm".
    public static func read(integerPart: Substring, fraction: Substring) -> String {
        let leadingZeros = fraction.prefix { $0 == "0" }.count
        let rest = fraction.dropFirst(leadingZeros)
        var words = [read(digits: integerPart), "phẩy"]
        words += Array(repeating: digitWords[0], count: leadingZeros)
        if !rest.isEmpty { words.append(read(digits: rest)) }
        return words.joined(separator: " ")
    }

    /// An ordinal as in "thứ 4", "lần thứ 1": 1 → "nhất", 4 → "tư", else the cardinal.
    public static func readOrdinal(_ number: Int) -> String {
        switch number {
        case 1: return "nhất"
        case 4: return "tư"
        default: return read(number)
        }
    }

    /// A month number as in "tháng 4": 4 → "tư" ("tháng tư"), else the cardinal ("tháng mười hai").
    public static func readMonth(_ month: Int) -> String {
        month == 4 ? "tư" : read(month)
    }

    /// One group of three digits (1…999). `full` when a higher group was read: then hundreds are always said
    /// ("không trăm") and a lone unit takes "linh".
    static func readGroup(_ group: Int, full: Bool) -> String {
        let hundreds = group / 100
        let tens = (group / 10) % 10
        let units = group % 10
        var words: [String] = []
        let saysHundreds = hundreds > 0 || full
        if saysHundreds { words += [digitWords[hundreds], "trăm"] }
        switch tens {
        case 0:
            if units > 0 {
                if saysHundreds { words.append("linh") }
                words.append(digitWords[units])
            }
        case 1:
            words.append("mười")
            if units > 0 { words.append(units == 5 ? "lăm" : digitWords[units]) }
        default:
            words += [digitWords[tens], "mươi"]
            switch units {
            case 0: break
            case 1: words.append("mốt")
            case 5: words.append("lăm")
            default: words.append(digitWords[units])
            }
        }
        return words.joined(separator: " ")
    }
}
