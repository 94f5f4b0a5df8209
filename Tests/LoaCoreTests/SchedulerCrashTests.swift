import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// A broadcast a crash cut, on restart: the rest of an emergency or priority one airs again while timely;
/// otherwise the operators are alerted.
@Suite("Scheduler after a crash mid-broadcast")
struct SchedulerCrashTests {
    static let crashedAt = SchedulerTests.vn("2026-12-01 05:00").addingTimeInterval(42)

    /// A run that crashed 42 s into a 2-minute broadcast, with its log entry still `playing`.
    struct Crashed {
        let clock: ManualClock
        let log: InMemoryBroadcastLog
        let player: RecordingPlayer
        let onAir: InMemoryOnAir
        let alerts: RecordingAlerts
        let task: Task<Void, any Error>

        init(priority: Priority, restartAfter: TimeInterval, resumeWithin: TimeInterval = 600) async {
            let started = SchedulerTests.vn("2026-12-01 05:00")
            let schedule = Schedule(
                id: "announce-1",
                announcement: Announcement(title: "Bão số 9", content: .tts(text: "Bão sắp vào", voice: "vi")),
                recurrence: .once(try! LocalDateTime(parsing: "2026-12-01 05:00")),
                priority: priority,
                approval: .approved
            )
            let open = BroadcastLogEntry(
                id: 1,
                scheduleID: nil,
                title: schedule.announcement.title,
                priority: priority,
                targets: .all,
                plannedAt: started,
                plannedLocal: "now",
                startedAt: started,
                outcome: .playing
            )
            clock = ManualClock(now: SchedulerCrashTests.crashedAt.addingTimeInterval(restartAfter))
            log = InMemoryBroadcastLog(watermark: started, entries: [open])
            player = RecordingPlayer(clock: clock, duration: 60)
            onAir = InMemoryOnAir(leftOver: [
                OnAirRecord(
                    broadcast: 1,
                    schedule: schedule,
                    offsetMicroseconds: 0,
                    startMicroseconds: started.microsecondsSince1970,
                    durationMicroseconds: 120_000_000,
                    aliveMicroseconds: SchedulerCrashTests.crashedAt.microsecondsSince1970
                )
            ])
            alerts = RecordingAlerts()
            let scheduler = Scheduler(
                clock: clock,
                log: log,
                player: player,
                zones: ZoneResolver(inventory: SchedulerTests.inventory),
                configuration: .init(resumeWithin: resumeWithin),
                onAir: onAir,
                alerts: alerts
            )
            task = Task { try await scheduler.run() }
        }

        func settle(_ condition: @escaping () -> Bool) async -> Bool {
            await eventually(timeout: .seconds(5), every: .milliseconds(2)) { condition() }
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    @Test(arguments: [Priority.emergency, .priority])
    func theRestAirsAgainFromWhereItStoppedWhenTheRestartIsTimely(priority: Priority) async throws {
        let h = await Crashed(priority: priority, restartAfter: 0.5)
        #expect(await h.settle { h.player.started.count == 1 })
        let play = try #require(h.player.started.first)
        #expect(play.offset == .seconds(42))
        #expect(play.broadcast == 2)
        #expect(await h.settle { h.log.entries.count == 2 && h.log.entries[1].outcome == .playing })
        let (original, resumed) = (h.log.entries[0], h.log.entries[1])
        #expect(original.outcome == .interrupted)
        #expect(original.detail == "the daemon stopped before it finished")
        #expect(resumed.detail == "resumed at 0:42 after the daemon restarted")
        #expect(resumed.priority == priority)
        #expect(h.onAir.kept[1] == nil)
        #expect(h.alerts.raised.isEmpty)
        await h.stop()
    }

    @Test func tooLateItIsNotAiredAgainAndTheOperatorsAreAlerted() async throws {
        let h = await Crashed(priority: .emergency, restartAfter: 601, resumeWithin: 600)
        #expect(await h.settle { h.alerts.raised.count == 1 })
        let alert = try #require(h.alerts.raised.first)
        #expect(alert.kind == .broadcastNotResumed)
        #expect(alert.broadcast == 1)
        #expect(alert.summary.contains("'Bão số 9' (emergency) was cut at 0:42"))
        #expect(await h.settle { h.log.entries.first?.outcome == .interrupted })
        #expect(h.log.entries.count == 1)
        #expect(h.player.started.isEmpty)
        #expect(h.onAir.kept[1] == nil)
        await h.stop()
    }

    @Test func aNormalBroadcastIsNeitherAiredAgainNorAlerted() async throws {
        let h = await Crashed(priority: .normal, restartAfter: 0.5)
        #expect(await h.settle { h.log.entries.first?.outcome == .interrupted && h.onAir.kept.isEmpty })
        #expect(await h.settle { h.clock.sleeperCount > 0 })
        #expect(h.log.entries.count == 1)
        #expect(h.player.started.isEmpty)
        #expect(h.alerts.raised.isEmpty)
        await h.stop()
    }

    @Test func aRecordWhoseEntryTheLogClosedIsDropped() async throws {
        let log = InMemoryBroadcastLog(watermark: Self.crashedAt, entries: [])
        let clock = ManualClock(now: Self.crashedAt.addingTimeInterval(1))
        let player = RecordingPlayer(clock: clock, duration: 60)
        let onAir = InMemoryOnAir(leftOver: [
            OnAirRecord(
                broadcast: 7,
                schedule: SchedulerTests.schedule("x", .once(try LocalDateTime(parsing: "2026-12-01 05:00")))
                    .with(priority: .emergency),
                offsetMicroseconds: 0,
                startMicroseconds: Self.crashedAt.microsecondsSince1970 - 10_000_000,
                durationMicroseconds: 60_000_000,
                aliveMicroseconds: Self.crashedAt.microsecondsSince1970
            )
        ])
        let scheduler = Scheduler(
            clock: clock,
            log: log,
            player: player,
            zones: ZoneResolver(inventory: SchedulerTests.inventory),
            onAir: onAir
        )
        let task = Task { try await scheduler.run() }
        #expect(await eventually(timeout: .seconds(5), every: .milliseconds(2)) { onAir.kept.isEmpty })
        #expect(await eventually(timeout: .seconds(5), every: .milliseconds(2)) { clock.sleeperCount > 0 })
        #expect(player.started.isEmpty)
        task.cancel()
        _ = await task.result
    }
}

extension Schedule {
    fileprivate func with(priority: Priority) -> Schedule {
        var copy = self
        copy.priority = priority
        return copy
    }
}
