import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaServer

/// The controller's own alerts (docs/protocol.md, "Alert", draft 5): a broadcast log that cannot be written
/// raises `store-write-failed` on `{root}/alerts` (with `loa health` CRITICAL), and `store-write-recovered`
/// once it can again, wired as `loa serve` wires them.
@Suite("Controller alerts")
struct ControllerAlertTests {
    @Test func aFailingBroadcastLogIsAlertedOnTheAlertTopicAndSoIsItsRecovery() async throws {
        let topics = try TopicTree(site: "xa-an-phu")
        let bus = InMemoryBus()
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000))
        let monitor = ReceiverMonitorService(
            topics: topics,
            inventory: SiteInventory(zones: [], receivers: []),
            settings: MonitoringSettings(),
            bus: bus,
            store: nil,
            clock: clock,
            signer: SignedAlerts.testKey,
            logger: quietLogger("loa.test.monitor")
        )
        let health = DaemonHealth(
            site: "xa-an-phu",
            brokerDescription: "in memory",
            brokerURL: "mqtt://127.0.0.1:1883",
            storeCheck: { ComponentHealth(condition: .ok, summary: "ok") }
        )
        let log = InMemoryBroadcastLog()
        log.refuseWrites("disk I/O error (the disk is full)")
        let scheduler = Scheduler(
            clock: clock,
            log: log,
            player: RecordingPlayer(clock: clock, duration: 60),
            zones: ZoneResolver(inventory: SiteInventory(zones: [], receivers: [])),
            onLogFailure: { failure in
                LoaDaemon.storeWritesChanged(
                    failure: failure,
                    health: health,
                    alerts: monitor,
                    logger: quietLogger("loa.test.daemon")
                )
            }
        )
        func alerts() -> [ReceiverAlert] {
            bus.published.filter { $0.topic == topics.alerts }.compactMap {
                SignedAlerts.open($0.payload, key: SignedAlerts.testKey)
            }
        }
        let schedule = Schedule(
            id: "announce-1",
            announcement: Announcement(title: "Bão", content: .tts(text: "Bão sắp vào", voice: "vi")),
            recurrence: .once(try LocalDateTime(parsing: "2026-12-01 05:00")),
            priority: .emergency,
            approval: .approved
        )
        await scheduler.announce(schedule)
        #expect(await eventually(timeout: .seconds(5), every: .milliseconds(10)) { !alerts().isEmpty })
        let failed = try #require(alerts().first)
        #expect(failed.kind == .storeWriteFailed)
        #expect(failed.severity == .critical)
        #expect(failed.receivers.isEmpty && failed.count == 0)
        #expect(failed.summary.contains("disk I/O error (the disk is full)"))
        #expect(await health.currentHealth().store.condition == .failed)

        log.refuseWrites(nil)
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { alerts().count == 2 })
        #expect(alerts().last?.kind == .storeWriteRecovered)
        #expect(alerts().last?.severity == .ok)
        await scheduler.stop(broadcast: nil, reason: "test over")
    }
}
