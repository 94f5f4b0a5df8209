import LoaCore
import Testing

@Suite struct VietnameseNumberReaderTests {
    /// The northern reading: mốt, lăm, linh, mười, "không trăm" in inner groups, "nghìn", "tỷ".
    static let table: [(Int, String)] = [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (30, "ba mươi"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1068, "một nghìn không trăm sáu mươi tám"),
        (1100, "một nghìn một trăm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_500, "hai mươi mốt nghìn năm trăm"),
        (100_000, "một trăm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_500, "một triệu năm trăm"),
        (1_000_005, "một triệu không trăm linh năm"),
        (2_500_000, "hai triệu năm trăm nghìn"),
        (1_000_000_000, "một tỷ"),
        (3_000_000_001, "ba tỷ không trăm linh một"),
        (-7, "âm bảy"),
    ]

    @Test(arguments: table)
    func readsNumbers(_ number: Int, _ words: String) {
        #expect(VietnameseNumberReader.read(number) == words)
    }

    @Test func readsLeadingZeroDigitStringsDigitByDigit() {
        #expect(VietnameseNumberReader.read(digits: "0912") == "không chín một hai")
        #expect(VietnameseNumberReader.read(digits: "2026") == "hai nghìn không trăm hai mươi sáu")
        #expect(
            VietnameseNumberReader.read(digits: "1234567890123456789")
                == VietnameseNumberReader.readDigits("1234567890123456789")
        )
    }

    @Test func readsDecimals() {
        #expect(VietnameseNumberReader.read(integerPart: "2", fraction: "5") == "hai phẩy năm")
        #expect(VietnameseNumberReader.read(integerPart: "3", fraction: "05") == "ba phẩy không năm")
        #expect(VietnameseNumberReader.read(integerPart: "3", fraction: "14") == "ba phẩy mười bốn")
    }

    @Test func readsOrdinalsAndMonths() {
        #expect(VietnameseNumberReader.readOrdinal(1) == "nhất")
        #expect(VietnameseNumberReader.readOrdinal(4) == "tư")
        #expect(VietnameseNumberReader.readOrdinal(2) == "hai")
        #expect(VietnameseNumberReader.readMonth(4) == "tư")
        #expect(VietnameseNumberReader.readMonth(12) == "mười hai")
    }
}
