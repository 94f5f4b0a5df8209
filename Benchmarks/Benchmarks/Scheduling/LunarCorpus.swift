import Foundation
import LoaCore

/// 1,000 deterministic calendar schedules of a commune's year: 40% mùng 1 and rằm (`--lunar 1,15`), 10% the last day
/// of each lunar month (`--lunar last`), 30% yearly lunar spans (Tết `29/12..5/1` or `30/12..5/1`, and one-day or
/// short festivals: Rằm tháng Giêng, Giỗ Tổ 10/3, Rằm tháng Bảy, Trung thu), 20% the last day of each Gregorian month
/// (`--monthly last`); 1–2 slots each, all in Asia/Ho_Chi_Minh, a tenth with a skip range.
struct LunarCorpus: Sendable {
    var schedules: [Schedule]
    /// 2026-06-01 00:00 UTC: the year ahead holds Tết 2027 and one of each lunar month.
    var now = Date(timeIntervalSince1970: 1_780_272_000)

    static func make(count: Int) -> LunarCorpus {
        var random = SplitMix64(seed: 2027)
        let spans = ["29/12..5/1", "30/12..5/1", "15/1", "10/3", "14/7..15/7", "15/8"].map {
            try! LunarSpan(parsing: $0)
        }
        let tet = try! DateRange(parsing: "2027-02-05..2027-02-10")
        var schedules: [Schedule] = []
        schedules.reserveCapacity(count)
        for number in 0..<count {
            let times = (0..<(1 + random.next(2))).map { _ in
                LocalTime(hour: 5 + random.next(14), minute: [0, 15, 30, 45][random.next(4)])!
            }
            let recurrence: Recurrence =
                switch random.next(100) {
                case 0..<40: .lunarMonthly(days: [1, 15], times: times)
                case 40..<50: .lunarMonthly(days: [30], times: times, shortMonths: .last)
                case 50..<80: .lunarYearly(span: spans[random.next(spans.count)], times: times)
                default: .monthly(day: 31, times: times, shortMonths: .last)
                }
            schedules.append(
                Schedule(
                    id: "lunar-\(number)",
                    announcement: Announcement(
                        title: "Lịch âm \(number)",
                        content: .tts(text: "Kính thưa bà con", voice: "vi")
                    ),
                    recurrence: recurrence,
                    skipDates: random.next(10) == 0 ? [tet] : [],
                    targets: random.next(2) == 0 ? .all : .zones(["thon-\(random.next(20))"]),
                    approval: .approved,
                    createdAt: Date(timeIntervalSince1970: 1_767_225_600)
                )
            )
        }
        return LunarCorpus(schedules: schedules)
    }
}
