import Foundation
import LoaCore
import Testing

@Suite("loa health verdicts with receivers")
struct MonitoringVerdictReceiverTests {
    func report(_ counts: ReceiverCounts, broker: ComponentHealth.Condition = .ok) -> HealthReport {
        HealthReport(
            version: "0.1.0",
            site: "xa-an-phu",
            broker: ComponentHealth(condition: broker, summary: broker == .ok ? "connected" : "disconnected (lost)"),
            audio: ComponentHealth(condition: .ok, summary: "ok"),
            store: ComponentHealth(condition: .ok, summary: "ok"),
            receivers: counts,
            uptimeSeconds: 5
        )
    }

    @Test func allOnlineIsOK() {
        let verdict = MonitoringVerdict(
            judging: report(ReceiverCounts(total: 10, online: 10)),
            receivers: ReceiverHealthPolicy()
        )
        #expect(verdict.status == .ok)
        #expect(
            verdict.line
                == "LOA OK - broker connected, audio ok, store ok, 10 of 10 receivers online | receivers_online=10;;;0;10 receivers_offline=0;;;0;10 receivers_lost=0;;;0;10 receivers_degraded=0;;;0;10 receivers_down=0;1;6;0;10"
        )
    }

    @Test func oneOfflineIsAWarningNamingIt() {
        let counts = ReceiverCounts(total: 10, online: 9, offline: 1, down: ["rx-dong-01"])
        let verdict = MonitoringVerdict(judging: report(counts), receivers: ReceiverHealthPolicy())
        #expect(verdict.status == .warning)
        #expect(
            verdict.line.hasPrefix(
                "LOA WARNING - 1 of 10 receivers down: 1 offline (rx-dong-01), broker connected, audio ok, store ok | "
            )
        )
        #expect(verdict.perfdata.contains("receivers_offline=1;;;0;10"))
    }

    @Test func aReceiverWithItsClockOffBySecondsIsAWarningNamingIt() {
        let counts = ReceiverCounts(total: 10, online: 10, degraded: 1, misclocked: ["rx-dong-01"])
        let verdict = MonitoringVerdict(judging: report(counts), receivers: ReceiverHealthPolicy())
        #expect(verdict.status == .warning, "it shows online, yet refuses every command")
        #expect(
            verdict.line.hasPrefix(
                "LOA WARNING - 10 of 10 receivers online (1 degraded); clock off by seconds, missing broadcasts: rx-dong-01, broker connected"
            ),
            "\(verdict.line)"
        )
        let degradedOtherwise = ReceiverCounts(total: 10, online: 10, degraded: 1)
        #expect(MonitoringVerdict(judging: report(degradedOtherwise), receivers: ReceiverHealthPolicy()).status == .ok)
    }

    @Test func oneLostIsAWarningToo() {
        let verdict = MonitoringVerdict(
            judging: report(ReceiverCounts(total: 10, online: 9, lost: 1, down: ["rx-2"])),
            receivers: ReceiverHealthPolicy()
        )
        #expect(verdict.status == .warning)
        #expect(verdict.summary.hasPrefix("1 of 10 receivers down: 1 lost (rx-2)"))
    }

    @Test(arguments: [
        // (down of 10, policy, expected)
        (5, ReceiverHealthPolicy(), MonitoringVerdict.Status.warning),  // exactly half is not above it
        (6, ReceiverHealthPolicy(), .critical),
        (1, ReceiverHealthPolicy(warnDown: 2), .ok),
        (2, ReceiverHealthPolicy(warnDown: 2), .warning),
        (2, ReceiverHealthPolicy(criticalDown: 2), .critical),
        (3, ReceiverHealthPolicy(criticalShare: 0.2), .critical),
        (2, ReceiverHealthPolicy(criticalShare: 0.2), .warning),
    ])
    func thresholds(down: Int, policy: ReceiverHealthPolicy, expected: MonitoringVerdict.Status) {
        let counts = ReceiverCounts(
            total: 10,
            online: 10 - down,
            offline: down / 2,
            lost: down - down / 2,
            down: (1...down).map { "rx-\($0)" }
        )
        #expect(MonitoringVerdict(judging: report(counts), receivers: policy).status == expected)
    }

    @Test func manyDownAreCountedNotAllNamed() {
        let ids = (1...20).map { "rx-\($0)" }
        let counts = ReceiverCounts(total: 30, online: 5, offline: 20, lost: 5, down: ids)
        let verdict = MonitoringVerdict(judging: report(counts), receivers: ReceiverHealthPolicy())
        #expect(verdict.status == .critical)
        #expect(
            verdict.summary.hasPrefix(
                "25 of 30 receivers down: 20 offline, 5 lost (rx-1, rx-2, rx-3, rx-4, rx-5 and 20 more)"
            )
        )
        #expect(verdict.perfdata.last == "receivers_down=25;1;16;0;30")
    }

    @Test func aFailedComponentStaysFirst() {
        let counts = ReceiverCounts(total: 10, online: 9, offline: 1, down: ["rx-1"])
        let verdict = MonitoringVerdict(judging: report(counts, broker: .failed), receivers: ReceiverHealthPolicy())
        #expect(verdict.status == .critical)
        #expect(verdict.summary.hasPrefix("broker disconnected (lost), audio ok, store ok, 1 of 10 receivers down"))
    }

    @Test func noInventory() {
        let verdict = MonitoringVerdict(judging: report(ReceiverCounts()), receivers: ReceiverHealthPolicy())
        #expect(verdict.status == .ok)
        #expect(verdict.summary == "broker connected, audio ok, store ok")
    }

    @Test func olderReportsWithoutTheNewFieldsStillDecode() throws {
        let json = #"{"total":3,"online":2,"offline":1,"lost":0}"#
        let counts = try JSONDecoder().decode(ReceiverCounts.self, from: Data(json.utf8))
        #expect(counts == ReceiverCounts(total: 3, online: 2, offline: 1, lost: 0))
    }
}
