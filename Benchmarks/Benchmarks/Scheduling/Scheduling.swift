import Benchmark
import Foundation
import LoaCore

/// Scheduling at the scale of a province's worth of items on one controller: 10,000 varied schedules.
///
/// Targets: expanding all of them over the next 7 days under 1 s; the next-occurrence query under 10 ms.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 200
    )

    let corpus = ScheduleCorpus.make(count: 10_000)
    let index = ScheduleIndex(corpus.schedules)
    let weekLater = corpus.now.addingTimeInterval(7 * 86_400)

    Benchmark("Expand 10k schedules, next 7 days (ScheduleIndex.occurrences)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(index.occurrences(from: corpus.now, to: weekLater, includeDrafts: true))
        }
    }

    Benchmark("Expand 10k schedules, next 7 days (Schedule.occurrences each)") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0
            for schedule in corpus.schedules { total += schedule.occurrences(from: corpus.now, to: weekLater).count }
            blackHole(total)
        }
    }

    Benchmark("Build ScheduleIndex of 10k schedules") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ScheduleIndex(corpus.schedules)) }
    }

    for count in [1, 10] {
        Benchmark(
            "Next \(count) across 10k schedules (ScheduleIndex.next)",
            configuration: .init(timeUnits: .microseconds)
        ) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(index.next(count: count, after: corpus.now)) }
        }
    }

    Benchmark(
        "Next 10 in one zone across 10k schedules (ScheduleIndex.next, zone filter)",
        configuration: .init(timeUnits: .microseconds)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(index.next(count: 10, after: corpus.now, zone: "thon-3", zoneOfReceiver: corpus.zoneOfReceiver))
        }
    }

    // The calendar (issue 18): lunar rules convert through the precomputed months of VietnameseLunarCalendar.
    let lunar = LunarCorpus.make(count: 1_000)
    let lunarIndex = ScheduleIndex(lunar.schedules)
    let yearLater = lunar.now.addingTimeInterval(365 * 86_400)

    Benchmark("Expand 1k lunar schedules, next 365 days (ScheduleIndex.occurrences)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(lunarIndex.occurrences(from: lunar.now, to: yearLater, includeDrafts: true))
        }
    }

    Benchmark("Expand 1k lunar schedules, next 365 days (Schedule.occurrences each)") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0
            for schedule in lunar.schedules { total += schedule.occurrences(from: lunar.now, to: yearLater).count }
            blackHole(total)
        }
    }

    Benchmark(
        "Next 10 across 1k lunar schedules (ScheduleIndex.next)",
        configuration: .init(timeUnits: .microseconds)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(lunarIndex.next(count: 10, after: lunar.now)) }
    }
}

/// 10,000 deterministic schedules: 40% daily, 30% weekly, 15% every-N-weeks, 15% monthly, 1–4 slots each;
/// 98% in Asia/Ho_Chi_Minh, 1% each in Europe/Berlin and America/Los_Angeles; targets all, zones or receivers;
/// 90% approved.
struct ScheduleCorpus: Sendable {
    var schedules: [Schedule]
    /// 2026-03-25 00:00 UTC: the 7 days ahead include Europe's spring-forward change.
    var now = Date(timeIntervalSince1970: 1_774_396_800)
    let zoneOfReceiver: @Sendable (String) -> String? = { receiver in
        guard let number = Int(receiver.dropFirst(2)) else { return nil }
        return "thon-\(number % 20)"
    }

    static func make(count: Int) -> ScheduleCorpus {
        var random = SplitMix64(seed: 2026)
        let weekdays = Weekday.allCases
        let anchor = LocalDate(year: 2026, month: 1, day: 7)!
        var schedules: [Schedule] = []
        schedules.reserveCapacity(count)
        for number in 0..<count {
            let times = (0..<(1 + random.next(4))).map { _ in
                LocalTime(hour: 4 + random.next(16), minute: [0, 15, 30, 45][random.next(4)])!
            }
            let days = (0..<(1 + random.next(6))).map { _ in weekdays[random.next(7)] }
            let shape = random.next(100)
            let recurrence: Recurrence =
                switch shape {
                case 0..<40: .daily(times: times)
                case 40..<70: .weekly(days: days, times: times)
                case 70..<85: .everyNWeeks(interval: 2 + random.next(3), anchor: anchor, days: days, times: times)
                default:
                    // Before issue 18 a day 29–31 skipped the months without it, as `.skip` says now.
                    .monthly(day: 1 + random.next(31), times: times, shortMonths: .skip)
                }
            let zoneDraw = random.next(100)
            let timeZone = zoneDraw == 0 ? "Europe/Berlin" : zoneDraw == 1 ? "America/Los_Angeles" : "Asia/Ho_Chi_Minh"
            let targets: Targets =
                switch random.next(3) {
                case 0: .all
                case 1: .zones(["thon-\(random.next(20))"])
                default: .receivers((0..<3).map { _ in "r-\(random.next(500))" })
                }
            schedules.append(
                Schedule(
                    id: "sch-\(number)",
                    announcement: Announcement(
                        title: "Bản tin \(number)",
                        content: .tts(text: "Kính thưa bà con", voice: "vi")
                    ),
                    recurrence: recurrence,
                    validFrom: random.next(10) == 0 ? LocalDate(year: 2026, month: 3, day: 27) : nil,
                    skipDates: random.next(10) == 0 ? [DateRange(LocalDate(year: 2026, month: 3, day: 28)!)] : [],
                    timeZone: timeZone,
                    targets: targets,
                    priority: random.next(10) == 0 ? .priority : .normal,
                    approval: random.next(10) == 0 ? .draft : .approved,
                    createdAt: Date(timeIntervalSince1970: 1_767_225_600)
                )
            )
        }
        return ScheduleCorpus(schedules: schedules)
    }
}

/// A small deterministic generator, so every run benchmarks the same corpus.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ upperBound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(upperBound))
    }
}
