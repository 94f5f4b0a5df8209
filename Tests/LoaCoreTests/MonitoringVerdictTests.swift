import LoaCore
import Testing

@Suite("loa health verdicts")
struct MonitoringVerdictTests {
    func report(broker: ComponentHealth.Condition = .ok, audio: ComponentHealth.Condition = .ok) -> HealthReport {
        HealthReport(
            version: "0.1.0",
            site: "xa-an-phu",
            broker: ComponentHealth(condition: broker, summary: broker == .ok ? "connected" : "disconnected (lost)"),
            audio: ComponentHealth(condition: audio, summary: audio == .failed ? "failed (no such device)" : "ok"),
            store: ComponentHealth(condition: .ok, summary: "ok"),
            receivers: ReceiverCounts(total: 12, online: 10, offline: 1, lost: 1),
            uptimeSeconds: 5
        )
    }

    @Test func healthyDaemonIsOKWithPerfdata() {
        let verdict = MonitoringVerdict(judging: report())
        #expect(verdict.status == .ok)
        #expect(
            verdict.line
                == "LOA OK - broker connected, audio ok, store ok | receivers_online=10;;;0;12 receivers_offline=1;;;0;12 receivers_lost=1;;;0;12"
        )
    }

    @Test(arguments: [
        (
            ComponentHealth.Condition.failed, ComponentHealth.Condition.ok,
            "LOA CRITICAL - broker disconnected (lost), audio ok"
        ),
        (.ok, .failed, "LOA CRITICAL - audio failed (no such device), broker connected"),
    ])
    func anyFailedPartIsCriticalAndNamedFirst(
        broker: ComponentHealth.Condition,
        audio: ComponentHealth.Condition,
        prefix: String
    ) {
        let verdict = MonitoringVerdict(judging: report(broker: broker, audio: audio))
        #expect(verdict.status == .critical)
        #expect(verdict.line.hasPrefix(prefix))
    }

    @Test func disabledAudioIsNotAFault() {
        #expect(MonitoringVerdict(judging: report(audio: .disabled)).status == .ok)
    }

    @Test func unreachableDaemonIsCritical() {
        let verdict = MonitoringVerdict.unreachable("http://127.0.0.1:8080", reason: "connection refused")
        #expect(verdict.status.rawValue == 2)
        #expect(verdict.line == "LOA CRITICAL - daemon unreachable at http://127.0.0.1:8080 (connection refused)")
    }
}
