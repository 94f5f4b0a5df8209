import Foundation
import LoaCore
import Testing

@Suite("Receiver monitor: clocks and identities")
struct ReceiverClockTests {
    /// A report stamped `skew` seconds from the controller's clock (the fixture's manual clock).
    static func report(_ fixture: MonitorFixture, skew: Double) -> Telemetry {
        Telemetry(interval: 10, at: fixture.now.addingTimeInterval(skew).microsecondsSince1970)
    }

    static func stale(_ fixture: MonitorFixture, seq: Int64 = 9) -> ReceiverEvent {
        ReceiverEvent(kind: .commandRejected, at: fixture.now.microsecondsSince1970, seq: seq, reason: "stale")
    }

    func birth(_ fixture: inout MonitorFixture, _ id: String, instance: String) {
        fixture.send(id, "status", AvailabilityStatus(state: .online, instance: instance).encoded())
    }

    func will(_ fixture: inout MonitorFixture, _ id: String, instance: String) {
        fixture.send(id, "status", AvailabilityStatus(state: .offline, instance: instance).encoded())
    }

    // MARK: Clock skew from telemetry

    @Test func aReportFortySecondsAheadIsDegradedAndAlertedWithTheFigure() throws {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        let status = try #require(fixture.monitor.status(of: "rx-1"))
        #expect(status.state == .degraded)
        #expect(status.reasons == [.clockSkew])
        #expect(status.clockSkewMs == 40_000)
        #expect(fixture.monitor.counts().misclocked == ["rx-1"])
        fixture.pass(10)
        let alert = try #require(fixture.takeAlerts().first)
        #expect(alert.kind == .degraded)
        #expect(alert.summary == "rx-1 (Cụm loa số 1, thon-dong) is degraded: clock-skew +40.0 s")
        #expect(alert.receivers.first?.clockSkewMs == 40_000)
    }

    @Test func aClockBehindIsJudgedAlike() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Self.report(fixture, skew: -40))
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.clockSkew])
        #expect(fixture.monitor.status(of: "rx-1")?.clockSkewMs == -40_000)
    }

    @Test func aReportInStepIsOnlineWithItsSkewShown() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Self.report(fixture, skew: -0.005))
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.clockSkewMs == -5)
        #expect(fixture.monitor.counts().misclocked.isEmpty)
    }

    @Test func theLeastDelayedOfTheLastThreeReportsCounts() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Self.report(fixture, skew: -0.01))
        // One report held up for 3 s on a congested cell is transit, not the clock.
        fixture.telemetry("rx-1", Self.report(fixture, skew: -3))
        #expect(fixture.state("rx-1") == .online)
        fixture.telemetry("rx-1", Self.report(fixture, skew: -3))
        fixture.telemetry("rx-1", Self.report(fixture, skew: -3))
        #expect(fixture.state("rx-1") == .degraded, "three in a row are the clock")
        fixture.telemetry("rx-1", Self.report(fixture, skew: 0))
        #expect(fixture.state("rx-1") == .online)
    }

    @Test func aReportWithoutATimeIsNotJudged() {
        var fixture = MonitorFixture()
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.clockSkewMs == nil)
    }

    @Test func theSkewThresholdIsConfigurable() {
        var configuration = MonitorConfiguration()
        configuration.thresholds.clockSkewMs = nil
        var fixture = MonitorFixture(configuration: configuration)
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        #expect(fixture.state("rx-1") == .online)
    }

    // MARK: Stale refusals

    @Test func aStaleRefusalDegradesUntilACommandIsAccepted() throws {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        fixture.event("rx-1", Self.stale(fixture))
        #expect(fixture.state("rx-1") == .degraded)
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.commandsStale])
        #expect(fixture.monitor.counts().misclocked == ["rx-1"])
        fixture.pass(10)
        let alert = try #require(fixture.takeAlerts().first)
        #expect(alert.summary == "rx-1 (Cụm loa số 1, thon-dong) is degraded: commands-stale")
        fixture.telemetry("rx-1", Telemetry(interval: 10))
        #expect(fixture.state("rx-1") == .degraded, "a report without a time says nothing of the clock")
        fixture.event("rx-1", ReceiverEvent(kind: .commandAccepted, at: 0, seq: 10, cmd: .volume))
        #expect(fixture.state("rx-1") == .online)
    }

    @Test func aStaleRefusalIsAnsweredByAReportInStep() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.event("rx-1", Self.stale(fixture))
        #expect(fixture.state("rx-1") == .degraded)
        fixture.telemetry("rx-1", Self.report(fixture, skew: 0.01))
        #expect(fixture.state("rx-1") == .online, "the command came late; the clock is right")
    }

    @Test func aClockFortySecondsOffGivesBothReasons() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        fixture.event("rx-1", Self.stale(fixture))
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.clockSkew, .commandsStale])
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        #expect(fixture.monitor.status(of: "rx-1")?.reasons == [.clockSkew, .commandsStale])
    }

    @Test func otherRefusalsAndTheSwitchLeaveItOnline() {
        var configuration = MonitorConfiguration()
        configuration.thresholds.staleCommands = false
        var fixture = MonitorFixture(configuration: configuration)
        fixture.online("rx-1")
        fixture.event("rx-1", Self.stale(fixture))
        fixture.online("rx-2")
        fixture.event("rx-2", ReceiverEvent(kind: .commandRejected, at: 0, seq: 3, reason: "replayed"))
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.state("rx-2") == .online)
    }

    @Test func aNewBirthJudgesTheClockAfresh() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.event("rx-1", Self.stale(fixture))
        fixture.telemetry("rx-1", Self.report(fixture, skew: 40))
        fixture.online("rx-1")
        #expect(fixture.state("rx-1") == .online)
    }

    // MARK: Two devices on one id

    @Test func twoDevicesTakingTurnsGiveOneDuplicateAlertAndNoFlapping() throws {
        var fixture = MonitorFixture()
        birth(&fixture, "rx-1", instance: "aaaa")
        fixture.telemetry("rx-1", Telemetry(interval: 3600))
        fixture.pass(30)
        #expect(fixture.takeAlerts().isEmpty)
        // Each connection makes the broker drop the other's: births alternate, each will follows.
        for round in 0..<174 {
            let (new, old) = round % 2 == 0 ? ("bbbb", "aaaa") : ("aaaa", "bbbb")
            birth(&fixture, "rx-1", instance: new)
            will(&fixture, "rx-1", instance: old)
            if round % 7 == 0 { fixture.pass(1) }
        }
        fixture.pass(1)
        let alerts = fixture.takeAlerts()
        #expect(alerts.map(\.kind) == [.duplicateID])
        let alert = try #require(alerts.first)
        #expect(alert.severity == .warning)
        #expect(alert.receivers.map(\.id) == ["rx-1"])
        #expect(alert.summary.hasPrefix("rx-1 (Cụm loa số 1, thon-dong): two devices use this id"))
        #expect(fixture.state("rx-1") == .online, "the will of a replaced connection is not news")
        let duplicate = try #require(fixture.monitor.status(of: "rx-1")?.duplicate)
        #expect(Set(duplicate.instances) == ["aaaa", "bbbb"])
        #expect(duplicate.switches == 173)
        // They keep at it for a while: still the one alert.
        for round in 0..<10 {
            birth(&fixture, "rx-1", instance: round % 2 == 0 ? "bbbb" : "aaaa")
            fixture.pass(20)
        }
        #expect(fixture.takeAlerts().isEmpty)
        // One device is unplugged: a window later the receiver is no longer called a duplicate.
        fixture.pass(301)
        #expect(fixture.monitor.status(of: "rx-1")?.duplicate == nil)
        #expect(fixture.takeAlerts().isEmpty, "it ended online, as last alerted")
    }

    @Test func aDuplicateThatEndsDownIsAlertedThen() {
        var fixture = MonitorFixture()
        birth(&fixture, "rx-1", instance: "aaaa")
        birth(&fixture, "rx-1", instance: "bbbb")
        birth(&fixture, "rx-1", instance: "aaaa")
        fixture.pass(1)
        #expect(fixture.takeAlerts().map(\.kind) == [.duplicateID])
        will(&fixture, "rx-1", instance: "aaaa")
        fixture.pass(320)
        #expect(fixture.takeAlerts().map(\.kind) == [.offline])
    }

    @Test func aRestartIsNotADuplicate() {
        var fixture = MonitorFixture()
        birth(&fixture, "rx-1", instance: "aaaa")
        fixture.telemetry("rx-1", Telemetry(interval: 3600))
        fixture.pass(5)
        // The new process takes over the old session; the broker then publishes the old one's will.
        birth(&fixture, "rx-1", instance: "bbbb")
        will(&fixture, "rx-1", instance: "aaaa")
        birth(&fixture, "rx-1", instance: "bbbb")
        fixture.pass(30)
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.duplicate == nil)
        #expect(fixture.takeAlerts().isEmpty)
        will(&fixture, "rx-1", instance: "bbbb")
        #expect(fixture.state("rx-1") == .offline, "its own will still counts")
    }

    @Test func strangersAreNotAlerted() {
        var fixture = MonitorFixture()
        for instance in ["aaaa", "bbbb", "aaaa", "bbbb"] { birth(&fixture, "rx-99", instance: instance) }
        fixture.pass(5)
        #expect(fixture.monitor.status(of: "rx-99")?.duplicate != nil)
        #expect(fixture.takeAlerts().isEmpty)
    }

    // MARK: The wire

    @Test func theNewFieldsAreKnown() {
        var fixture = MonitorFixture()
        birth(&fixture, "rx-1", instance: "9f2c41d07a5e33b8")
        fixture.telemetry("rx-1", Self.report(fixture, skew: 0))
        #expect(fixture.output.notices.isEmpty, "\(fixture.output.notices)")
        let instance = AvailabilityStatus.newInstance()
        #expect(instance.count == 16 && instance.allSatisfy(\.isHexDigit))
        #expect(instance != AvailabilityStatus.newInstance())
    }
}
