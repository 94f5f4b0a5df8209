import Foundation
import LoaCore
import Testing

@Suite("Receiver monitor: alerts and their debounce")
struct AlertPolicyTests {
    @Test func offlineIsAlertedOnceAfterTheGroupWait() throws {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.pass(1)
        fixture.offline("rx-1")
        fixture.pass(9)
        #expect(fixture.output.alerts.isEmpty)
        fixture.pass(1)
        let alerts = fixture.takeAlerts()
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.kind == .offline)
        #expect(alert.severity == .critical)
        #expect(alert.site == "xa-an-phu")
        #expect(alert.summary == "rx-1 (Cụm loa số 1, thon-dong) is offline")
        #expect(
            alert.receivers == [
                ReceiverAlert.Subject(
                    id: "rx-1",
                    name: "Cụm loa số 1",
                    zone: "thon-dong",
                    state: .offline,
                    since: fixture.now.addingTimeInterval(-10).microsecondsSince1970
                )
            ]
        )
        fixture.pass(600)
        #expect(fixture.output.alerts.isEmpty, "no repeat while nothing changes")
    }

    @Test func aBlipShorterThanTheGroupWaitIsNotAlerted() {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.offline("rx-1")
        fixture.pass(3)
        fixture.up("rx-1")
        fixture.pass(20)
        #expect(fixture.output.alerts.isEmpty)
        #expect(fixture.output.transitions.count == 3, "the history keeps the blip")
    }

    @Test func lostAndRecoveredAreAlerted() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(41)
        #expect(fixture.takeAlerts().map(\.kind) == [.lost])
        fixture.pass(300)
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(10)
        let alerts = fixture.takeAlerts()
        #expect(alerts.map(\.kind) == [.recovered])
        #expect(alerts.first?.severity == .ok)
        #expect(alerts.first?.summary == "rx-1 (Cụm loa số 1, thon-dong) is back: online (was lost)")
    }

    @Test func degradedIsAWarning() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10, signal: .init(rssi: -110), amplifier: "fault"))
        fixture.pass(10)
        let alerts = fixture.takeAlerts()
        #expect(alerts.map(\.kind) == [.degraded])
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.receivers.first?.reasons == [.weakSignal, .amplifierFault])
        #expect(alerts.first?.summary.hasSuffix("is degraded: weak-signal, amplifier-fault") == true)
    }

    @Test func degradedAlertsCanBeSwitchedOff() {
        var configuration = MonitorConfiguration()
        configuration.alerts.alertOnDegraded = false
        var fixture = MonitorFixture(configuration: configuration)
        fixture.telemetry("rx-1", Telemetry(interval: 10, amplifier: "fault"))
        fixture.pass(20)
        #expect(fixture.output.alerts.isEmpty)
    }

    @Test func aFlappingReceiverGivesOneAlertPerWindow() {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.pass(1)
        // 10 reconnects in a minute: the will, then a birth 3 s later, every 6 s.
        for _ in 0..<10 {
            fixture.offline("rx-1")
            fixture.pass(3)
            fixture.up("rx-1")
            fixture.pass(3)
        }
        let inTheMinute = fixture.takeAlerts()
        #expect(inTheMinute.map(\.kind) == [.flapping])
        #expect(inTheMinute.first?.severity == .warning)
        fixture.pass(600)
        #expect(fixture.takeAlerts().isEmpty, "it ended online, as the alert said")
    }

    @Test func theWindowEndsWithOneAlertOnlyIfTheStateDiffers() {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.pass(1)
        for _ in 0..<10 {
            fixture.offline("rx-1")
            fixture.pass(3)
            fixture.up("rx-1")
            fixture.pass(3)
        }
        fixture.offline("rx-1")
        let first = fixture.takeAlerts()
        #expect(first.map(\.kind) == [.flapping])
        fixture.pass(300)
        let end = fixture.takeAlerts()
        #expect(end.map(\.kind) == [.offline], "it ended offline: one more alert at the window's end")
        #expect((end.first?.suppressed ?? 0) >= 10)

        // Flapping that ends down, where the first alert said: nothing more at the window's end.
        var second = MonitorFixture()
        second.up("rx-1")
        second.pass(1)
        for _ in 0..<5 {
            second.offline("rx-1")
            second.pass(11)
            second.up("rx-1")
            second.pass(3)
        }
        second.offline("rx-1")
        second.pass(400)
        #expect(second.takeAlerts().map(\.kind) == [.offline])
    }

    @Test func aMassOutageGivesOneSummary() throws {
        var fixture = MonitorFixture(receivers: 200)
        for index in 1...200 { fixture.telemetry("rx-\(index)", Telemetry(interval: 10)) }
        fixture.pass(5)
        // The 4G cell goes down: wills arrive over 20 s.
        for index in 1...200 {
            fixture.offline("rx-\(index)")
            if index % 10 == 0 { fixture.pass(1) }
        }
        fixture.pass(120)
        let alerts = fixture.takeAlerts()
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.kind == .outage)
        #expect(alert.severity == .critical)
        #expect(alert.count >= 3, "those down when it was called; the rest join it quietly")

        // The cell comes back: one resolution, not 200 recoveries.
        for index in 1...200 { fixture.online("rx-\(index)") }
        fixture.pass(15)
        let back = fixture.takeAlerts()
        #expect(back.map(\.kind) == [.outageResolved])
        #expect(back.first?.summary == "outage over: 200 of 200 receivers back")
    }

    @Test func lateJoinersFoldIntoTheOutageAndStragglersAreNamed() throws {
        var fixture = MonitorFixture(receivers: 10)
        for index in 1...10 { fixture.up("rx-\(index)") }
        fixture.pass(1)
        for index in 1...4 { fixture.offline("rx-\(index)") }
        fixture.pass(11)
        #expect(fixture.takeAlerts().map(\.kind) == [.outage])
        fixture.offline("rx-5")
        fixture.pass(11)
        #expect(fixture.output.alerts.isEmpty, "a receiver joining an outage is not alerted on its own")
        for index in 1...3 { fixture.up("rx-\(index)") }
        fixture.pass(11)
        let resolved = try #require(fixture.takeAlerts().first)
        #expect(resolved.kind == .outageResolved)
        #expect(resolved.summary == "outage over: 3 of 5 receivers back; still down: rx-4, rx-5")
        // The stragglers' later recovery is alerted one by one.
        fixture.up("rx-4")
        fixture.pass(301)
        #expect(fixture.takeAlerts().map(\.kind) == [.recovered])
    }

    @Test func twoReceiversDownAreTwoAlerts() {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.up("rx-2")
        fixture.offline("rx-1")
        fixture.offline("rx-2")
        fixture.pass(11)
        #expect(fixture.takeAlerts().map(\.kind) == [.offline, .offline])
    }

    @Test func alertJSONMatchesTheProtocol() throws {
        let alert = ReceiverAlert(
            id: "xa-an-phu-1764385260000000-1",
            site: "xa-an-phu",
            at: 1_764_385_260_000_000,
            kind: .offline,
            summary: "rx-dong-01 (Cụm loa đầu thôn Đông, thon-dong) is offline",
            receivers: [
                .init(
                    id: "rx-dong-01",
                    name: "Cụm loa đầu thôn Đông",
                    zone: "thon-dong",
                    state: .offline,
                    since: 1_764_385_250_000_000
                )
            ]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(alert.encoded())) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "v", "id", "site", "at", "kind", "severity", "summary", "receivers", "count", "suppressed",
            ]
        )
        #expect(object["v"] as? Int == 1)
        #expect(object["kind"] as? String == "offline")
        #expect(object["severity"] as? String == "critical")
        #expect(object["at"] as? Int64 == 1_764_385_260_000_000)
        let subject = try #require((object["receivers"] as? [[String: Any]])?.first)
        #expect(Set(subject.keys) == ["id", "name", "zone", "state", "since", "reasons", "stranger"])
        #expect(try JSONDecoder().decode(ReceiverAlert.self, from: Data(alert.encoded())) == alert)
    }
}
