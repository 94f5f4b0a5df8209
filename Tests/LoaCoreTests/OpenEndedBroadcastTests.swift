import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Live readings and relays aired until stopped (protocol v1 draft 8): a stop is their normal end, a higher
/// priority still cuts them, and their source is logged.
@Suite("Scheduler: open-ended broadcasts")
struct OpenEndedBroadcastTests {
    static func airNow(_ id: String, _ content: AnnouncementContent, priority: Priority) -> Schedule {
        Schedule(
            id: id,
            announcement: Announcement(title: "Tiết mục \(id)", content: content, chime: false),
            recurrence: .once(try! LocalDateTime(parsing: "2026-12-01 08:00")),
            targets: .zones(["thon-dong"]),
            priority: priority,
            latenessLimitSeconds: 900,
            approval: .approved
        )
    }

    @Test func aStopEndsALiveReadingAsAiredToItsEndWithItsSource() async throws {
        let h = await SchedulerTests.Harness(now: "2026-12-01 08:00", schedules: [])
        let live = await h.scheduler.announce(Self.airNow("live", .live, priority: .live))
        #expect(await h.settle { h.player.started.count == 1 })
        #expect(await h.scheduler.stop(broadcast: live, reason: "stopped by chu-tich") == 1)
        #expect(await h.settle { h.log.entries.first { $0.id == live }?.outcome == .completed })
        let entry = try #require(h.log.entries.first { $0.id == live })
        #expect(entry.detail == "stopped by chu-tich")
        #expect(entry.source == "live:test")
        #expect(entry.sourceMissingMicroseconds == 1_500_000 && entry.sourceGaps == 1)
        await h.stop()
    }

    @Test func aStopCutsAFileButEndsARelayWithoutALength() async throws {
        let h = await SchedulerTests.Harness(now: "2026-12-01 08:00", playFor: 600, schedules: [])
        let file = await h.scheduler.announce(
            Self.airNow("tep", .tts(text: "Xin chào", voice: "vi"), priority: .normal)
        )
        #expect(await h.settle { h.player.started.count == 1 })
        await h.scheduler.stop(broadcast: file, reason: "stopped by chu-tich")
        #expect(await h.settle { h.log.entries.first { $0.id == file }?.outcome == .interrupted })
        #expect(h.log.entries.first { $0.id == file }?.source == nil)

        let relay = await h.scheduler.announce(
            Self.airNow("vov", .relay(source: "http://127.0.0.1:8000/vov1.mp3"), priority: .normal)
        )
        #expect(await h.settle { h.player.started.count == 2 })
        await h.scheduler.stop(broadcast: relay, reason: "stopped by chu-tich")
        #expect(await h.settle { h.log.entries.first { $0.id == relay }?.outcome == .completed })
        await h.stop()
    }

    @Test func anEmergencyCutsALiveReadingAndALiveReadingWaitsBehindAnEmergency() async throws {
        let h = await SchedulerTests.Harness(now: "2026-12-01 08:00", playFor: 600, schedules: [])
        let live = await h.scheduler.announce(Self.airNow("live", .live, priority: .live))
        #expect(await h.settle { h.player.started.count == 1 })
        let storm = await h.scheduler.announce(
            Self.airNow("bao", .tts(text: "Bão số 3", voice: "vi"), priority: .emergency)
        )
        #expect(await h.settle { h.log.entries.first { $0.id == live }?.outcome == .interrupted })
        #expect(await h.settle { h.player.started.last?.broadcast == storm })
        let cut = try #require(h.log.entries.first { $0.id == live })
        #expect(cut.detail?.contains("interrupted by") == true)
        #expect(cut.source == "live:test")

        // A second live reading, while the emergency airs, waits behind it: the scheduler names what it waits for.
        let second = await h.scheduler.announce(Self.airNow("live-2", .live, priority: .live))
        let blocker = await h.scheduler.blocker(of: second)
        #expect(blocker?.id == storm)
        #expect(blocker?.priority == .emergency)
        #expect(await h.scheduler.blocker(of: storm) == nil)

        // Once the emergency ends the waiting reading airs; the one it cut is not put back on air (the site's
        // policy resumes cut items, but nobody holds that microphone any more).
        h.clock.advance(by: 600)
        #expect(await h.settle { h.player.started.last?.broadcast == second })
        #expect(h.log.entries.filter { $0.title == "Tiết mục live" }.count == 1)
        await h.stop()
    }
}
