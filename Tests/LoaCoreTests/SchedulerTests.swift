import Foundation
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

/// The scheduler on a manual clock: firing, arbitration, approval and restart recovery.
@Suite("Scheduler on a manual clock")
struct SchedulerTests {
    /// A Vietnam local time (UTC+7) as an instant.
    static func vn(_ text: String) -> Date {
        let local = try! LocalDateTime(parsing: text)
        return Date(
            timeIntervalSince1970: TimeInterval(local.date.dayNumber * 86_400 + local.time.secondsOfDay - 7 * 3600)
        )
    }

    static let inventory = SiteInventory(
        zones: [Zone(id: "thon-dong", name: "Thôn Đông"), Zone(id: "thon-tay", name: "Thôn Tây")],
        receivers: [Receiver(id: "rx-1", name: "Cụm loa 1", zone: "thon-dong")]
    )

    static func schedule(
        _ id: String,
        _ recurrence: Recurrence,
        priority: Priority = .normal,
        approval: ApprovalState = .approved,
        targets: Targets = .all,
        lateness: Int = 300
    ) -> Schedule {
        Schedule(
            id: id,
            announcement: Announcement(title: "Thông báo \(id)", content: .tts(text: "Xin chào bà con", voice: "vi")),
            recurrence: recurrence,
            targets: targets,
            priority: priority,
            latenessLimitSeconds: lateness,
            approval: approval
        )
    }

    struct Harness {
        let clock: ManualClock
        let log: InMemoryBroadcastLog
        let player: RecordingPlayer
        let scheduler: Scheduler
        let task: Task<Void, any Error>

        init(
            now: String,
            watermark: String? = nil,
            playFor: TimeInterval = 60,
            schedules: [Schedule],
            policy: ArbitrationPolicy = ArbitrationPolicy(),
            logWriteDelay: Duration = .zero,
            alerts: (any ControllerAlerting)? = nil,
            audience: (any BroadcastAudience)? = nil,
            onLogFailure: @escaping @Sendable (String?) -> Void = { _ in }
        ) async {
            clock = ManualClock(now: vn(now))
            log = InMemoryBroadcastLog(watermark: watermark.map(vn), writeDelay: logWriteDelay)
            player = RecordingPlayer(clock: clock, duration: playFor)
            scheduler = Scheduler(
                clock: clock,
                log: log,
                player: player,
                zones: ZoneResolver(inventory: SchedulerTests.inventory),
                configuration: .init(policy: policy),
                alerts: alerts,
                audience: audience,
                onLogFailure: onLogFailure
            )
            await scheduler.update(schedules: schedules)
            task = Task { [scheduler] in try await scheduler.run() }
            // Recovery sets the watermark to "now"; advancing before the loop sleeps would skip past it.
            let clock = clock
            _ = await eventually(timeout: .seconds(5), every: .milliseconds(1)) { clock.sleeperCount > 0 }
        }

        /// Waits (in real time, briefly) until the scheduler has done what a clock step allows.
        func settle(_ condition: @escaping () -> Bool) async -> Bool {
            await eventually(timeout: .seconds(5), every: .milliseconds(2)) { condition() }
        }

        func outcomes(_ scheduleID: String) -> [BroadcastOutcome] {
            log.entries.filter { $0.scheduleID == scheduleID }.map(\.outcome)
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    @Test func firesADailySlotAtItsPlannedInstantAndLogsIt() async throws {
        let h = await Harness(
            now: "2026-12-01 04:59",
            schedules: [Self.schedule("sang", .daily(times: [try LocalTime(parsing: "05:00")]))]
        )
        #expect(await h.settle { h.clock.sleeperCount > 0 })
        h.clock.advance(to: Self.vn("2026-12-01 04:59").addingTimeInterval(55))  // inside the prepare lead
        #expect(await h.settle { h.player.preparedIDs == ["sang"] })
        #expect(h.player.started.isEmpty)
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.player.started.count == 1 })
        #expect(h.player.started.first?.startedAt == Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.outcomes("sang") == [.playing] })
        h.clock.advance(by: 60)
        #expect(await h.settle { h.outcomes("sang") == [.completed] })
        let entry = try #require(h.log.entries.first)
        #expect(entry.plannedLocal == "2026-12-01 05:00")
        #expect(entry.startedAt == Self.vn("2026-12-01 05:00"))
        await h.stop()
    }

    @Test func draftsNeverAirUntilApproved() async throws {
        var draft = Self.schedule("nhap", .daily(times: [try LocalTime(parsing: "05:00")]), approval: .draft)
        let h = await Harness(now: "2026-12-01 04:00", schedules: [draft])
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        try await Task.sleep(for: .milliseconds(50))
        h.clock.advance(to: Self.vn("2026-12-01 06:00"))
        #expect(await h.settle { h.clock.sleeperCount > 0 })
        #expect(h.player.started.isEmpty)
        #expect(h.log.entries.isEmpty)

        draft.approval = .approved
        await h.scheduler.update(schedules: [draft])
        h.clock.advance(by: 1)  // let the loop notice the change
        #expect(await h.settle { h.clock.sleeperCount > 0 })
        h.clock.advance(to: Self.vn("2026-12-02 05:00"))
        #expect(await h.settle { h.player.started.map(\.scheduleID) == ["nhap"] })
        await h.stop()
    }

    @Test(arguments: [ArbitrationPolicy.AfterInterruption.resumeFromStart, .drop])
    func emergencyCutsANormalItemMidwayAndThePolicyDecidesItsFate(
        _ after: ArbitrationPolicy.AfterInterruption
    ) async throws {
        let normal = Self.schedule(
            "tin-tuc",
            .daily(times: [try LocalTime(parsing: "17:00")]),
            targets: .zones(["thon-dong"])
        )
        let h = await Harness(
            now: "2026-12-01 16:59",
            playFor: 120,
            schedules: [normal],
            policy: ArbitrationPolicy(afterInterruption: after)
        )
        h.clock.advance(to: Self.vn("2026-12-01 17:00"))
        #expect(await h.settle { h.outcomes("tin-tuc") == [.playing] })
        h.clock.advance(by: 30)

        let emergency = Self.schedule(
            "bao",
            .once(try LocalDateTime(parsing: "2026-12-01 17:00")),
            priority: .emergency,
            targets: .zones(["thon-tay"])
        )
        _ = await h.scheduler.announce(emergency)
        #expect(await h.settle { h.player.started.map(\.scheduleID) == ["tin-tuc", "bao"] })
        #expect(await h.settle { h.outcomes("tin-tuc").first == .interrupted })
        let cut = try #require(h.log.entries.first { $0.scheduleID == "tin-tuc" })
        #expect(cut.detail == "interrupted by 'Thông báo bao'")
        #expect(h.player.started[1].startedAt == Self.vn("2026-12-01 17:00").addingTimeInterval(30))

        h.clock.advance(by: 120)  // the emergency ends
        switch after {
        case .resumeFromStart:
            #expect(await h.settle { h.player.started.map(\.scheduleID) == ["tin-tuc", "bao", "tin-tuc"] })
            #expect(await h.settle { h.outcomes("tin-tuc") == [.interrupted, .playing] })
        case .drop:
            try await Task.sleep(for: .milliseconds(50))
            #expect(h.player.started.map(\.scheduleID) == ["tin-tuc", "bao"])
            #expect(h.outcomes("tin-tuc") == [.interrupted])
        }
        await h.stop()
    }

    @Test(arguments: [false, true])
    func priorityWaitsForANormalItemUnlessTheSiteCuts(cuts: Bool) async throws {
        let normal = Self.schedule("nhac", .daily(times: [try LocalTime(parsing: "17:00")]))
        let urgent = Self.schedule("uu-tien", .daily(times: [try LocalTime(parsing: "17:01")]), priority: .priority)
        let h = await Harness(
            now: "2026-12-01 16:59",
            playFor: 120,
            schedules: [normal, urgent],
            policy: ArbitrationPolicy(priorityCutsNormal: cuts)
        )
        h.clock.advance(to: Self.vn("2026-12-01 17:00"))
        #expect(await h.settle { h.player.started.count == 1 })
        h.clock.advance(to: Self.vn("2026-12-01 17:01"))
        if cuts {
            #expect(await h.settle { h.player.started.map(\.scheduleID) == ["nhac", "uu-tien"] })
            #expect(await h.settle { h.outcomes("nhac").first == .interrupted })
        } else {
            #expect(await h.settle { h.outcomes("uu-tien") == [.waiting] })
            #expect(h.player.started.count == 1)
            h.clock.advance(to: Self.vn("2026-12-01 17:02"))  // the normal item ends
            #expect(await h.settle { h.player.started.map(\.scheduleID) == ["nhac", "uu-tien"] })
            #expect(h.player.started[1].startedAt == Self.vn("2026-12-01 17:02"))
            #expect(await h.settle { h.outcomes("nhac") == [.completed] })
        }
        await h.stop()
    }

    @Test func restartPlaysLateWithinTheLatenessLimitAndLogsOlderOnesMissed() async throws {
        let early = Self.schedule("som", .daily(times: [try LocalTime(parsing: "05:00")]))  // 6 min ago: missed
        let recent = Self.schedule("muon", .daily(times: [try LocalTime(parsing: "05:04")]))  // 2 min ago: plays late
        let h = await Harness(now: "2026-12-01 05:06", watermark: "2026-12-01 04:30", schedules: [early, recent])
        #expect(await h.settle { h.outcomes("som") == [.missed] && h.outcomes("muon") == [.playing] })
        #expect(await h.settle { h.player.started.map(\.scheduleID) == ["muon"] })
        let missed = try #require(h.log.entries.first { $0.scheduleID == "som" })
        #expect(missed.detail == "could not start within its lateness limit of 300 s")
        #expect(await h.settle { h.log.currentWatermark == Self.vn("2026-12-01 05:06") })
        await h.stop()
    }

    @Test func aRunThatCrashedMidBroadcastIsClosedAsInterrupted() async throws {
        let open = BroadcastLogEntry(
            id: 1,
            scheduleID: "cu",
            title: "Cũ",
            priority: .normal,
            targets: .all,
            plannedAt: Self.vn("2026-12-01 05:00"),
            plannedLocal: "2026-12-01 05:00",
            startedAt: Self.vn("2026-12-01 05:00"),
            outcome: .playing
        )
        let clock = ManualClock(now: Self.vn("2026-12-01 06:00"))
        let log = InMemoryBroadcastLog(watermark: Self.vn("2026-12-01 05:00"), entries: [open])
        let scheduler = Scheduler(
            clock: clock,
            log: log,
            player: RecordingPlayer(clock: clock, duration: 1),
            zones: ZoneResolver(inventory: Self.inventory)
        )
        let task = Task { try await scheduler.run() }
        #expect(
            await eventually(timeout: .seconds(5), every: .milliseconds(2)) {
                log.entries.first?.outcome == .interrupted
            }
        )
        task.cancel()
        _ = await task.result
    }

    @Test func stoppingTheSchedulerLogsWhatPlaysAsInterrupted() async throws {
        let h = await Harness(
            now: "2026-12-01 04:59",
            schedules: [Self.schedule("sang", .daily(times: [try LocalTime(parsing: "05:00")]))]
        )
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.outcomes("sang") == [.playing] })
        await h.stop()
        #expect(h.outcomes("sang") == [.interrupted])
        #expect(h.log.entries.first?.detail == "the daemon stopped")
    }

    @Test func stopReturnsOnceTheLogSaysSoEvenOnASlowDisk() async throws {
        let h = await Harness(
            now: "2026-12-01 04:59",
            schedules: [Self.schedule("sang", .daily(times: [try LocalTime(parsing: "05:00")]))],
            logWriteDelay: .milliseconds(30)
        )
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.outcomes("sang") == [.playing] })
        #expect(await h.scheduler.stop(broadcast: nil, reason: "cut by the operator") == 1)
        #expect(h.outcomes("sang") == [.interrupted])
        #expect(h.log.entries.first?.detail == "cut by the operator")
        await h.stop()
    }

    /// The scheduler decides faster than a slow disk writes: a broadcast that starts and ends within one
    /// write must still end up logged as it ended, and the next one must wait for the zone.
    @Test func logWritesLandInTheOrderDecidedOnASlowDisk() async throws {
        let first = Self.schedule(
            "mot",
            .daily(times: [try LocalTime(parsing: "05:00")]),
            targets: .zones(["thon-dong"])
        )
        let second = Self.schedule(
            "hai",
            .daily(times: [try LocalTime(parsing: "05:00")]),
            targets: .zones(["thon-dong"])
        )
        let h = await Harness(
            now: "2026-12-01 04:59",
            playFor: 0,
            schedules: [first, second],
            logWriteDelay: .milliseconds(20)
        )
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.outcomes("mot") == [.completed] && h.outcomes("hai") == [.completed] })
        await h.scheduler.logWritten()
        #expect(h.outcomes("mot") == [.completed])
        #expect(h.outcomes("hai") == [.completed])
        let plays = h.player.started.map(\.scheduleID)
        #expect(plays.sorted() == ["hai", "mot"])
        await h.stop()
    }

    /// Issue 12: a full disk stopped the daemon a second before an emergency slot. Airing and stopping need no
    /// write: the outcomes wait in memory, in order, and land once the disk takes them.
    @Test func aFullDiskNeitherStopsABroadcastNorLosesItsOutcome() async throws {
        let failures = Mutex<[String?]>([])
        let emergency = Self.schedule(
            "bao",
            .daily(times: [try LocalTime(parsing: "05:00")]),
            priority: .emergency
        )
        let h = await Harness(
            now: "2026-12-01 04:59",
            schedules: [emergency],
            onLogFailure: { reason in failures.withLock { $0.append(reason) } }
        )
        h.log.refuseWrites("disk full")
        h.clock.advance(to: Self.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.player.started.map(\.scheduleID) == ["bao"] }, "the emergency did not air")
        #expect(await h.settle { failures.withLock { $0 } == ["disk full"] })
        #expect(h.log.entries.isEmpty)
        // Stopping needs no write either, and answers at once.
        #expect(await h.scheduler.stop(broadcast: nil, reason: "cut by the operator") == 1)

        h.log.refuseWrites(nil)
        #expect(await h.settle { h.outcomes("bao") == [.interrupted] }, "\(h.log.entries)")
        #expect(h.log.entries.first?.detail == "cut by the operator")
        #expect(await h.settle { failures.withLock { $0 } == ["disk full", nil] })
        #expect(await h.settle { h.log.currentWatermark == Self.vn("2026-12-01 05:00") })
        await h.stop()
    }
}
