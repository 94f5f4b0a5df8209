import LoaCore
import Testing

/// When a relay airs its fallback, and how long its stream was missing (protocol v1 draft 8).
@Suite("Relay watch: dead air, fallback, recovery")
struct RelayWatchTests {
    /// One message every 100 ms from `from` (µs), each finding `input` in the stream.
    static func feed(
        _ watch: inout RelayWatch,
        _ input: RelayWatch.Input,
        from: Int64,
        count: Int
    ) -> [(Int64, RelayWatch.Event)] {
        (0..<count).compactMap { index in
            let now = from + Int64(index) * 100_000
            return watch.observe(input, at: now).map { (now, $0) }
        }
    }

    @Test func aStreamMissingForTheDeadAirTimeBringsTheFallbackThenComesBack() {
        var watch = RelayWatch(deadAir: 3_000_000, recovery: 1_000_000)
        #expect(Self.feed(&watch, .sound, from: 0, count: 50).isEmpty)
        // Missing from 5.0 s: at 8.0 s (3 s later) the fallback airs, the gap counted from 5.0 s.
        let lost = Self.feed(&watch, .missing, from: 5_000_000, count: 50)
        #expect(lost.count == 1)
        #expect(lost.first?.0 == 8_000_000)
        #expect(lost.first?.1 == .lost(since: 5_000_000))
        #expect(watch.inFallback)
        #expect(watch.missing(at: 9_000_000) == 4_000_000)
        // Sound again from 10.0 s: restored once it has lasted 1 s, at 11.0 s; the gap is 5.0 → 10.0 s.
        let back = Self.feed(&watch, .sound, from: 10_000_000, count: 20)
        #expect(back.map(\.1) == [.restored(missingMicroseconds: 5_000_000)])
        #expect(back.first?.0 == 11_000_000)
        #expect(!watch.inFallback)
        #expect(watch.gaps == 1)
        #expect(watch.missing(at: 20_000_000) == 5_000_000)
    }

    @Test func silenceIsDeadAirAndShortDropoutsAreNot() {
        var watch = RelayWatch(deadAir: 3_000_000)
        // 2.9 s of silence, then sound: no fallback, no gap.
        #expect(Self.feed(&watch, .silence, from: 0, count: 29).isEmpty)
        #expect(Self.feed(&watch, .sound, from: 2_900_000, count: 10).isEmpty)
        #expect(watch.gaps == 0 && watch.missing(at: 4_000_000) == 0)
        // Silence and missing mixed, 3 s in all: dead air.
        _ = Self.feed(&watch, .silence, from: 4_000_000, count: 15)
        let lost = Self.feed(&watch, .missing, from: 5_500_000, count: 20)
        #expect(lost.map(\.1) == [.lost(since: 4_000_000)])
    }

    @Test func soundInterruptedDuringRecoveryStartsRecoveryOver() {
        var watch = RelayWatch(deadAir: 1_000_000, recovery: 1_000_000)
        _ = Self.feed(&watch, .missing, from: 0, count: 11)
        #expect(watch.inFallback)
        #expect(Self.feed(&watch, .sound, from: 1_100_000, count: 5).isEmpty)
        _ = Self.feed(&watch, .missing, from: 1_600_000, count: 1)
        #expect(Self.feed(&watch, .sound, from: 1_700_000, count: 10).isEmpty)
        #expect(watch.inFallback)
        let back = Self.feed(&watch, .sound, from: 2_700_000, count: 1)
        #expect(back.map(\.1) == [.restored(missingMicroseconds: 1_700_000)])
    }
}
