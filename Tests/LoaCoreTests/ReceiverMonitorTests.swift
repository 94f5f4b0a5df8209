import Foundation
import LoaCore
import Testing

@Suite("Receiver monitor: states")
struct ReceiverMonitorTests {
    @Test func configuredButNeverSeenIsUnknown() {
        let fixture = MonitorFixture()
        #expect(fixture.state("rx-1") == .unknown)
        #expect(fixture.monitor.counts() == ReceiverCounts(total: 5, unknown: 5))
    }

    @Test func birthMakesOnlineAndWillMakesOffline() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        #expect(fixture.state("rx-1") == .online)
        fixture.pass(2)
        fixture.offline("rx-1")
        let status = fixture.monitor.status(of: "rx-1")!
        #expect(status.state == .offline)
        #expect(status.since == fixture.now)
        #expect(status.downSince == fixture.now)
        #expect(fixture.output.transitions.map(\.to) == [.online, .offline])
        #expect(fixture.output.transitions.last?.from == .online)
    }

    @Test func telemetryAloneMeansOnline() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1")
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.telemetry?.volume == 80)
    }

    @Test func playingFromTelemetryAndFromEvents() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Telemetry(interval: 10, playing: SessionID(0x2f9c_01aa)))
        #expect(fixture.state("rx-1") == .playing)
        #expect(fixture.monitor.status(of: "rx-1")?.playing == SessionID(0x2f9c_01aa))
        fixture.event("rx-1", ReceiverEvent(kind: .sessionFinished, at: 0, session: SessionID(0x2f9c_01aa)))
        #expect(fixture.state("rx-1") == .online)
        fixture.event("rx-1", ReceiverEvent(kind: .sessionStarted, at: 0, session: SessionID(7)))
        #expect(fixture.state("rx-1") == .playing)
        fixture.event("rx-1", ReceiverEvent(kind: .sessionAborted, at: 0, session: SessionID(7), reason: "stop"))
        #expect(fixture.state("rx-1") == .online)
    }

    @Test func rejectedCommandsAreCountedWithTheLastOneKept() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.event(
            "rx-1",
            ReceiverEvent(kind: .commandRejected, at: 1_764_385_200_000_000, seq: 7, reason: "unsigned")
        )
        fixture.event(
            "rx-1",
            ReceiverEvent(kind: .commandRejected, at: 1_764_385_201_000_000, seq: 5, reason: "replayed")
        )
        fixture.event("rx-1", ReceiverEvent(kind: .commandAccepted, at: 1_764_385_202_000_000, seq: 8, cmd: .volume))
        let status = fixture.monitor.status(of: "rx-1")
        #expect(status?.rejectedCommands == 2)
        #expect(
            status?.lastRejectedCommand
                == ReceiverStatus.RejectedCommand(at: fixture.now, reason: "replayed", seq: 5)
        )
        #expect(fixture.state("rx-1") == .online, "a refused command changes no state")
        #expect(fixture.monitor.status(of: "rx-2")?.rejectedCommands == 0)
    }

    static let thresholdCases: [(String, Telemetry, DegradedReason)] = [
        ("weak signal", Telemetry(interval: 10, signal: .init(rssi: -101, network: "4g")), .weakSignal),
        ("amplifier fault", Telemetry(interval: 10, amplifier: "fault"), .amplifierFault),
        ("clock offset over 20 ms", Telemetry(interval: 10, clockOffsetMs: 20.5), .clockOffset),
        ("clock offset under -20 ms", Telemetry(interval: 10, clockOffsetMs: -25), .clockOffset),
        ("overheating", Telemetry(interval: 10, temperature: 85), .overheating),
    ]

    @Test(arguments: thresholdCases)
    func thresholdMakesDegraded(_ name: String, _ telemetry: Telemetry, _ reason: DegradedReason) {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", telemetry)
        #expect(fixture.state("rx-1") == .degraded, "\(name)")
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [reason])
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        #expect(fixture.state("rx-1") == .online, "\(name) clears with a good report")
    }

    @Test func withinThresholdsIsOnline() {
        var fixture = MonitorFixture()
        fixture.telemetry(
            "rx-1",
            Telemetry(
                interval: 10,
                signal: .init(rssi: -95, network: "4g"),
                amplifier: "ok",
                temperature: 80,
                clockOffsetMs: 20,
                underruns: 2
            )
        )
        #expect(fixture.state("rx-1") == .online)
    }

    @Test func underrunsCountTheIncreaseBetweenReports() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10, uptime: 100, underruns: 40))
        #expect(fixture.state("rx-1") == .online, "the first report is the baseline")
        fixture.telemetry("rx-1", Telemetry(interval: 10, uptime: 110, underruns: 42))
        #expect(fixture.state("rx-1") == .online)
        fixture.telemetry("rx-1", Telemetry(interval: 10, uptime: 120, underruns: 45))
        #expect(fixture.state("rx-1") == .degraded)
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.underruns])
        fixture.telemetry("rx-1", Telemetry(interval: 10, uptime: 130, underruns: 45))
        #expect(fixture.state("rx-1") == .online)
        // A restart (uptime went back) starts the count from zero.
        fixture.telemetry("rx-1", Telemetry(interval: 10, uptime: 5, underruns: 4))
        #expect(fixture.state("rx-1") == .degraded)
        #expect(fixture.monitor.counters.underruns == 2 + 3 + 4)
    }

    @Test func thresholdsAreConfigurableAndCanBeSwitchedOff() {
        var configuration = MonitorConfiguration()
        configuration.thresholds.clockOffsetMs = 5
        configuration.thresholds.weakSignalRSSI = nil
        var fixture = MonitorFixture(configuration: configuration)
        fixture.telemetry("rx-1", Telemetry(interval: 10, signal: .init(rssi: -120), clockOffsetMs: 6))
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.clockOffset])
    }

    @Test func lostAfterThreeIntervalsNotBefore() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(29)
        #expect(fixture.state("rx-1") == .online)
        fixture.pass(1)
        #expect(fixture.state("rx-1") == .lost)
        #expect(fixture.output.transitions.last?.detail == "no telemetry for 30 s")
        #expect(fixture.monitor.counts().lost == 1)
    }

    @Test func lostUsesTheReceiversOwnInterval() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 2))
        fixture.pass(5)
        #expect(fixture.state("rx-1") == .online)
        fixture.pass(1)
        #expect(fixture.state("rx-1") == .lost)
    }

    @Test func birthWithoutTelemetryIsLostAfterThreeDefaultIntervals() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.pass(30)
        #expect(fixture.state("rx-1") == .lost)
    }

    @Test func recoveryShowsWithTheFirstReport() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(40)
        #expect(fixture.state("rx-1") == .lost)
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.downSince == nil)
    }

    @Test func offlineReceiverComesBackWithBirth() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.offline("rx-1")
        fixture.pass(100)
        #expect(fixture.state("rx-1") == .offline, "an offline receiver is not also lost")
        fixture.online("rx-1")
        #expect(fixture.state("rx-1") == .online)
    }

    @Test func lostThenOfflineKeepsWhenItWentDown() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(30)
        let wentDown = fixture.now
        fixture.pass(5)
        fixture.offline("rx-1")
        let status = fixture.monitor.status(of: "rx-1")!
        #expect(status.state == .offline)
        #expect(status.downSince == wentDown)
        #expect(status.since == fixture.now)
    }

    @Test func retainedOnlineDoesNotEndASilence() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(30)
        #expect(fixture.state("rx-1") == .lost)
        fixture.online("rx-1", retained: true)
        #expect(fixture.state("rx-1") == .lost, "the broker's memory is not a sign of life")
        fixture.online("rx-1")
        #expect(fixture.state("rx-1") == .online, "a live birth is")
    }

    @Test func noReceiverIsLostWhileTheControllerIsDisconnected() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.pass(5)
        fixture.monitor.busConnectionChanged(connected: false, at: fixture.now)
        fixture.pass(60)
        #expect(fixture.state("rx-1") == .online)
        fixture.monitor.busConnectionChanged(connected: true, at: fixture.now)
        fixture.pass(29)
        #expect(fixture.state("rx-1") == .online, "the silence timeout starts again on reconnection")
        fixture.pass(1)
        #expect(fixture.state("rx-1") == .lost)
    }

    @Test func restoredStatesKeepTheirSinceAndNeedAReport() {
        var fixture = MonitorFixture()
        let earlier = fixture.now.addingTimeInterval(-3600)
        fixture.monitor.restore(
            [
                "rx-1": ReceiverTransition(receiver: "rx-1", from: .unknown, to: .online, at: earlier),
                "rx-2": ReceiverTransition(receiver: "rx-2", from: .online, to: .offline, at: earlier),
                "rx-3": ReceiverTransition(receiver: "rx-3", from: .online, to: .lost, at: earlier),
                "rx-4": ReceiverTransition(receiver: "rx-4", from: .online, to: .degraded, at: earlier),
                "stranger": ReceiverTransition(receiver: "stranger", from: .unknown, to: .online, at: earlier),
            ],
            at: fixture.now
        )
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.since == earlier)
        #expect(fixture.state("rx-2") == .offline)
        #expect(fixture.state("rx-3") == .lost)
        #expect(fixture.state("rx-4") == .degraded)
        #expect(fixture.monitor.status(of: "stranger") == nil)
        fixture.online("rx-3", retained: true)
        fixture.online("rx-4", retained: true)
        #expect(fixture.state("rx-3") == .lost)
        #expect(fixture.state("rx-4") == .degraded, "degraded until a report says otherwise")
        fixture.pass(30)
        #expect(fixture.state("rx-1") == .lost, "a restored receiver must report within the timeout")
        fixture.pass(20)
        let alerts = fixture.takeAlerts()
        #expect(alerts.map(\.kind) == [.lost, .lost], "restored states are not alerted again; new silences are")
        #expect(alerts.flatMap { $0.receivers.map(\.id) } == ["rx-1", "rx-4"])
    }

    @Test func strangersAreTrackedApartAndNeverCounted() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-99", Telemetry(interval: 10))
        let status = fixture.monitor.status(of: "rx-99")
        #expect(status?.stranger == true)
        #expect(status?.state == .online)
        #expect(fixture.monitor.counts().total == 5)
        #expect(fixture.monitor.counts().strangers == 1)
        #expect(fixture.monitor.statuses().last?.id == "rx-99")
        #expect(fixture.monitor.statuses(filter: .stranger).map(\.id) == ["rx-99"])
        fixture.pass(60)
        #expect(fixture.state("rx-99") == .lost)
        #expect(fixture.takeAlerts().isEmpty, "strangers are listed, never alerted")
    }

    @Test func strangersAreCapped() {
        var configuration = MonitorConfiguration()
        configuration.maxStrangers = 3
        var fixture = MonitorFixture(configuration: configuration)
        for index in 0..<10 { fixture.telemetry("ghost-\(index)", Telemetry(interval: 10)) }
        #expect(fixture.monitor.counts().strangers == 3)
        #expect(fixture.monitor.counters.problems["too-many-strangers"] == 7)
    }

    @Test func filtersByZoneAndState() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.offline("rx-2")
        #expect(fixture.monitor.statuses(zone: "thon-dong").map(\.id) == ["rx-1", "rx-3", "rx-5"])
        #expect(fixture.monitor.statuses(filter: .state(.online)).map(\.id) == ["rx-1"])
        #expect(fixture.monitor.statuses(filter: .down).map(\.id) == ["rx-2"])
        #expect(fixture.monitor.statuses(zone: "thon-tay", filter: .state(.unknown)).map(\.id) == ["rx-4"])
    }

    @Test func countsForHealth() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-2", Telemetry(interval: 10, playing: SessionID(1)))
        fixture.telemetry("rx-3", Telemetry(interval: 10, amplifier: "fault"))
        fixture.offline("rx-4")
        #expect(
            fixture.monitor.counts()
                == ReceiverCounts(
                    total: 5,
                    online: 3,
                    offline: 1,
                    lost: 0,
                    playing: 1,
                    degraded: 1,
                    unknown: 1,
                    down: ["rx-4"]
                )
        )
    }

    @Test func reloadAddsRemovesAndRejudges() {
        var fixture = MonitorFixture(receivers: 3)
        fixture.telemetry("rx-1", Telemetry(interval: 10, clockOffsetMs: 10))
        fixture.telemetry("rx-7", Telemetry(interval: 10))
        var configuration = MonitorConfiguration()
        configuration.thresholds.clockOffsetMs = 5
        var inventory = MonitorFixture.inventory(3)
        inventory.receivers.removeAll { $0.id == "rx-3" }
        inventory.receivers.append(Receiver(id: "rx-7", name: "Mới", zone: "thon-tay"))
        let output = fixture.monitor.reconfigure(inventory: inventory, configuration: configuration, at: fixture.now)
        #expect(output.transitions.map(\.to) == [.degraded])
        #expect(fixture.monitor.status(of: "rx-7")?.stranger == false)
        #expect(fixture.monitor.status(of: "rx-7")?.name == "Mới")
        #expect(fixture.monitor.status(of: "rx-3") == nil, "a removed receiver never seen is forgotten")
        #expect(fixture.monitor.counts().total == 3)
        #expect(fixture.monitor.counts().strangers == 0)
    }
}
