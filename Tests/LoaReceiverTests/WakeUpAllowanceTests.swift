import LoaCore
import Testing

@testable import LoaReceiver

/// How early a playout thread asks to be woken: the median of its recent wake-up latencies.
@Suite("Wake-up allowance")
struct WakeUpAllowanceTests {
    @Test func isTheMedianOfTheLastSixtyFourLatencies() {
        var allowance = WakeUpAllowance()
        #expect(allowance.microseconds == 0)
        for latency in Int64(1)...64 { allowance.record(asked: 1_000, woke: 1_000 + latency) }
        #expect(allowance.microseconds == 33)
        // The oldest are forgotten: 64 more wakes at 10 µs leave nothing of the first ones.
        for _ in 0..<64 { allowance.record(asked: 5_000, woke: 5_010) }
        #expect(allowance.microseconds == 10)
    }

    @Test func aLongStallCountsAsTheMaximumAndAnEarlyWakeAsZero() {
        var allowance = WakeUpAllowance()
        for _ in 0..<64 { allowance.record(asked: 0, woke: 50_000) }
        #expect(allowance.microseconds == WakeUpAllowance.maximum)
        for _ in 0..<64 { allowance.record(asked: 100, woke: 40) }
        #expect(allowance.microseconds == 0)
    }

    @Test func sleepsUntilTheInstant() {
        var allowance = WakeUpAllowance()
        let clock = SystemWallClock()
        for _ in 0..<5 {
            let target = clock.nowMicroseconds() + 2_000
            allowance.sleep(untilMicroseconds: target, on: clock)
            #expect(clock.nowMicroseconds() >= target)
        }
    }
}
