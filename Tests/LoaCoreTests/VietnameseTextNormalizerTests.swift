import LoaCore
import Testing

@Suite struct VietnameseTextNormalizerTests {
    static let normalizer = VietnameseTextNormalizer()

    static let table: [(String, String)] = [
        // Dates.
        ("24/12/2026", "ngày hai mươi bốn tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 24/12/2026", "ngày hai mươi bốn tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
        ("Ngày 1/5/2025 là ngày lễ", "Ngày mồng một tháng năm năm hai nghìn không trăm hai mươi lăm là ngày lễ"),
        ("từ 30-4-2025", "từ ngày ba mươi tháng tư năm hai nghìn không trăm hai mươi lăm"),
        ("ngày 2/9", "ngày mồng hai tháng chín"),
        ("tháng 12/2026", "tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
        ("32/13/2026", "ba mươi hai/mười ba/hai nghìn không trăm hai mươi sáu"),
        // Times.
        ("17h30", "mười bảy giờ ba mươi phút"),
        ("lúc 7h", "lúc bảy giờ"),
        ("17h00", "mười bảy giờ"),
        ("17:05", "mười bảy giờ năm phút"),
        // Numbers with thousand separators, decimals, percentages, units.
        ("1.068", "một nghìn không trăm sáu mươi tám"),
        ("1.068 hộ", "một nghìn không trăm sáu mươi tám hộ"),
        ("2.500.000 đồng", "hai triệu năm trăm nghìn đồng"),
        ("2,5", "hai phẩy năm"),
        ("15%", "mười lăm phần trăm"),
        ("12,5 %", "mười hai phẩy năm phần trăm"),
        ("dài 3km", "dài ba ki-lô-mét"),
        ("50 kg gạo", "năm mươi ki-lô-gam gạo"),
        ("gọi 0912345678", "gọi không chín một hai ba bốn năm sáu bảy tám"),
        ("thứ 2", "thứ hai"),
        ("thứ 4", "thứ tư"),
        ("lần thứ 1", "lần thứ nhất"),
        // Abbreviations.
        ("UBND xã", "Ủy ban nhân dân xã"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("HĐND huyện", "Hội đồng nhân dân huyện"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("TP Huế", "Thành phố Huế"),
        ("công tác PCCC", "công tác phòng cháy chữa cháy"),
        ("Đ/c Chủ tịch", "đồng chí Chủ tịch"),
        ("thẻ BHYT", "thẻ bảo hiểm y tế"),
        // Not abbreviations: inside a longer word, or lower case.
        ("UBNDX", "UBNDX"),
        ("ubnd", "ubnd"),
        // Nothing to do.
        ("Xin chào bà con", "Xin chào bà con"),
    ]

    @Test(arguments: table)
    func normalizes(_ input: String, _ expected: String) {
        #expect(Self.normalizer.normalize(input) == expected)
    }

    @Test func normalizesAWholeNotice() {
        let notice = "UBND xã và HĐND xã thông báo: 17h30 ngày 24/12/2026, Sở TT&TT hỗ trợ 1.068 hộ."
        #expect(
            Self.normalizer.normalize(notice) == "Ủy ban nhân dân xã và Hội đồng nhân dân xã thông báo: "
                + "mười bảy giờ ba mươi phút ngày hai mươi bốn tháng mười hai năm hai nghìn không trăm hai mươi sáu, "
                + "Sở Thông tin và Truyền thông hỗ trợ một nghìn không trăm sáu mươi tám hộ."
        )
    }

    @Test func everyRulePatternCompiles() throws {
        for rule in VietnameseTextNormalizer.standardRules {
            _ = try Regex(rule.pattern)
        }
    }
}
