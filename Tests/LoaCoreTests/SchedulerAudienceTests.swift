import Foundation
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

/// Issue 13: a broadcast aired to its end is `completed` only when every receiver it targets played it; the
/// scheduler logs what its audience's reports amount to, and tells the operators of a slot missed, a broadcast
/// nobody acknowledged and one that did not play everywhere.
@Suite("The scheduler judges a broadcast by its receivers' reports")
struct SchedulerAudienceTests {
    /// An audience whose targets' settled reports the test sets; it records which broadcasts were settled, and
    /// holds a settlement until the test releases it.
    final class ScriptedAudience: BroadcastAudience, Sendable {
        let reports: Mutex<[BroadcastReceiverReport]>
        let settled = Mutex<[Int64]>([])
        let held = Mutex(false)

        init(_ reports: [BroadcastReceiverReport]) { self.reports = Mutex(reports) }

        func settle(broadcast: Int64) async -> AudienceVerdict? {
            while held.withLock({ $0 }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(1)) }
            settled.withLock { $0.append(broadcast) }
            return AudienceVerdict(targets: reports.withLock { $0 })
        }
    }

    static let at = Date(timeIntervalSince1970: 1_764_540_000)

    static func report(
        _ id: String,
        _ state: BroadcastReceiverReport.State,
        acked: Bool = true,
        detail: String? = nil
    )
        -> BroadcastReceiverReport
    {
        BroadcastReceiverReport(receiver: id, state: state, at: at, ackedAt: acked ? at : nil, detail: detail)
    }

    static let daily = SchedulerTests.schedule("sang", .daily(times: [try! LocalTime(parsing: "05:00")]))

    /// Airs the 05:00 slot to its end against `audience`; the harness, for more checks.
    static func airOnce(_ audience: ScriptedAudience, alerts: RecordingAlerts) async -> SchedulerTests.Harness {
        let h = await SchedulerTests.Harness(
            now: "2026-12-01 04:59",
            schedules: [daily],
            alerts: alerts,
            audience: audience
        )
        h.clock.advance(to: SchedulerTests.vn("2026-12-01 05:00"))
        _ = await h.settle { h.player.started.count == 1 }
        h.clock.advance(by: 60)
        return h
    }

    @Test func everyTargetPlayedIsCompleted() async throws {
        let audience = ScriptedAudience([Self.report("rx-1", .played), Self.report("rx-2", .playedWithGaps)])
        let alerts = RecordingAlerts()
        let h = await Self.airOnce(audience, alerts: alerts)
        #expect(await h.settle { h.outcomes("sang") == [.completed] })
        #expect(h.log.entries.first?.detail == "played on 2 of 2 (1 with gaps)")
        #expect(alerts.raised.isEmpty)
        await h.stop()
    }

    @Test func aTargetThatDidNotPlayMakesItPartialAndAlerts() async throws {
        let audience = ScriptedAudience([
            Self.report("rx-1", .played),
            Self.report("rx-2", .neverReached, acked: false, detail: "offline at the start"),
            Self.report("rx-3", .refused, acked: false, detail: "stale"),
        ])
        let alerts = RecordingAlerts()
        let h = await Self.airOnce(audience, alerts: alerts)
        #expect(await h.settle { h.outcomes("sang") == [.partial] })
        let detail = try #require(h.log.entries.first?.detail)
        #expect(detail == "played on 1 of 3; rx-2 never reached (offline at the start), rx-3 refused (stale)")
        #expect(await h.settle { alerts.raised.map(\.kind) == [.broadcastPartial] })
        #expect(alerts.raised.first?.summary.contains("rx-3 refused (stale)") == true)
        #expect(alerts.raised.first?.broadcast == h.log.entries.first?.id)
        await h.stop()
    }

    @Test func nobodyAcknowledgingFailsItAndAlertsSo() async throws {
        let audience = ScriptedAudience([
            Self.report("rx-1", .neverReached, acked: false, detail: "no acknowledgement"),
            Self.report("rx-2", .neverReached, acked: false, detail: "offline at the start"),
        ])
        let alerts = RecordingAlerts()
        let h = await Self.airOnce(audience, alerts: alerts)
        #expect(await h.settle { h.outcomes("sang") == [.failed] })
        #expect(await h.settle { alerts.raised.map(\.kind) == [.broadcastUnacknowledged] })
        await h.stop()
    }

    @Test func noReceiverAmongItsTargetsIsAFailure() async throws {
        let audience = ScriptedAudience([])
        let h = await Self.airOnce(audience, alerts: RecordingAlerts())
        #expect(await h.settle { h.outcomes("sang") == [.failed] })
        #expect(h.log.entries.first?.detail == "no receiver among its targets")
        await h.stop()
    }

    @Test func itStaysPlayingUntilSettledWhileItsZonesAreFreeAtOnce() async throws {
        let audience = ScriptedAudience([Self.report("rx-1", .played)])
        audience.held.withLock { $0 = true }
        let alerts = RecordingAlerts()
        let h = await Self.airOnce(audience, alerts: alerts)
        // The next item on the same zones starts while the first waits for its receivers' last reports.
        _ = await h.scheduler.announce(
            SchedulerTests.schedule("ngay", .once(try LocalDateTime(parsing: "2026-12-01 05:01")))
        )
        #expect(await h.settle { h.player.started.count == 2 })
        #expect(h.outcomes("sang") == [.playing])
        audience.held.withLock { $0 = false }
        #expect(await h.settle { h.outcomes("sang") == [.completed] })
        await h.stop()
    }

    @Test func anInterruptedBroadcastStaysInterruptedAndItsReceiversAreSettled() async throws {
        let audience = ScriptedAudience([Self.report("rx-1", .cutShort, detail: "stopped")])
        let alerts = RecordingAlerts()
        let h = await SchedulerTests.Harness(
            now: "2026-12-01 04:59",
            schedules: [Self.daily],
            alerts: alerts,
            audience: audience
        )
        h.clock.advance(to: SchedulerTests.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.player.started.count == 1 })
        let id = try #require(h.log.entries.first?.id)
        #expect(await h.scheduler.stop(broadcast: id, reason: "stopped by chu-tich") == 1)
        #expect(await h.settle { audience.settled.withLock { $0 } == [id] })
        #expect(h.outcomes("sang") == [.interrupted])
        #expect(alerts.raised.isEmpty)
        await h.stop()
    }

    @Test func aMissedSlotIsAlerted() async throws {
        let alerts = RecordingAlerts()
        let h = await SchedulerTests.Harness(
            now: "2026-12-01 05:06",
            watermark: "2026-12-01 04:00",
            schedules: [Self.daily],
            alerts: alerts
        )
        #expect(await h.settle { h.outcomes("sang") == [.missed] })
        #expect(await h.settle { alerts.raised.map(\.kind) == [.broadcastMissed] })
        let alert = try #require(alerts.raised.first)
        #expect(alert.summary.contains("2026-12-01 05:00"), "\(alert.summary)")
        #expect(alert.broadcast == h.log.entries.first?.id)
        await h.stop()
    }
}
