import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaStore
import LoaTestSupport
import Testing

@testable import LoaServer

/// The monitor against a real mosquitto, with simulated receivers (MQTT clients and mosquitto_sub
/// processes with wills). Timing bounds come from the protocol (keepalive × 1.5, 3 intervals), never from
/// how fast this machine is.
@Suite("Receiver monitor on a real broker", .serialized)
struct MonitorIntegrationTests {
    @Test func receiverKilledWithSIGKILLShowsOfflineWithinKeepaliveAndAHalf() async throws {
        try await MonitorHarness.run { harness in
            let keepAlive = 5
            let firmware = try WillProcess(
                broker: harness.broker,
                topics: harness.topics,
                id: "rx-1",
                keepAlive: keepAlive,
                directory: harness.directory
            )
            #expect(await firmware.waitUntilConnected())
            try harness.controller.publish(harness.status(.online)("rx-1"))
            #expect(await harness.waitFor("rx-1", .online))
            let killed = ContinuousClock.now
            firmware.signal(SIGKILL)
            let offline = await harness.waitFor("rx-1", .offline, timeout: .seconds(Double(keepAlive) * 1.5))
            let state = await harness.state("rx-1")
            #expect(offline, "rx-1 still \(String(describing: state)) \(ContinuousClock.now - killed) after SIGKILL")
        }
    }

    /// A cable pull (SIGSTOP: the socket stays open and silent) is the broker's to notice: mosquitto 2.0.11
    /// was seen to publish the will 1.5 × keepalive plus 2-4 s after the last packet (11 s for a 5 s
    /// keepalive, 16-17 s for 10 s). The monitor shows it the moment it arrives; the bound allows the broker's
    /// slack.
    @Test func silentConnectionShowsOfflineOnceTheBrokerGivesUp() async throws {
        try await MonitorHarness.run { harness in
            let keepAlive = 10
            let firmware = try WillProcess(
                broker: harness.broker,
                topics: harness.topics,
                id: "rx-2",
                keepAlive: keepAlive,
                directory: harness.directory
            )
            #expect(await firmware.waitUntilConnected())
            try harness.controller.publish(harness.status(.online)("rx-2"))
            #expect(await harness.waitFor("rx-2", .online))
            let stopped = ContinuousClock.now
            firmware.signal(SIGSTOP)
            let offline = await harness.waitFor("rx-2", .offline, timeout: .seconds(Double(keepAlive) * 1.5 + 5))
            let history = try await harness.service.receiver(id: "rx-2").history
            #expect(
                offline,
                "\(ContinuousClock.now - stopped): \(history.map { "\($0.to) \($0.at.timeIntervalSinceNow)" })"
            )
            #expect(history.first?.detail == "offline status (will or goodbye)")
            firmware.signal(SIGKILL)
        }
    }

    @Test func telemetryStoppingMakesLostAfterThreeIntervalsAndRecoveryIsImmediate() async throws {
        try await MonitorHarness.run { harness in
            let receiver = try await harness.receiver("rx-3")
            for _ in 0..<3 {
                try harness.report(receiver, "rx-3")
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(await harness.waitFor("rx-3", .online))
            let lastReport = ContinuousClock.now
            try harness.report(receiver, "rx-3")
            // The connection stays up (keepalives flow), the reports stop.
            #expect(await harness.waitFor("rx-3", .lost, timeout: .seconds(6)))
            #expect(ContinuousClock.now - lastReport >= .seconds(3), "lost before 3 intervals of 1 s")
            #expect(receiver.connectionState.isConnected)
            let status = try await harness.service.receiver(id: "rx-3").status
            #expect(status.downSince != nil)

            try harness.report(receiver, "rx-3")
            #expect(await harness.waitFor("rx-3", .online, timeout: .seconds(1)), "recovery within one interval")
        }
    }

    @Test func flappingReceiverGivesOneAlert() async throws {
        // Changes are decided `groupWait` after the first of them. Were the receiver caught offline at that
        // moment (mid-drop), the decision would be an `offline` alert, not `flapping`: so the first four changes
        // come quickly and the receiver is then left online until the decision, which 1.5 s leaves room for.
        var settings = MonitorHarness.fastSettings
        settings.monitor.alerts.groupWait = 1.5
        try await MonitorHarness.run(settings: settings) { harness in
            let receiver = try await harness.receiver("rx-4")
            try harness.report(receiver, "rx-4", Telemetry(interval: 60))
            #expect(await harness.waitFor("rx-4", .online))
            // One reconnect: it drops the socket (the broker publishes the will), then reconnects (birth).
            @Sendable func drop(_ number: Int) async {
                receiver.abortConnectionForTesting()
                let dropped = await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                    await harness.offlineTransitions("rx-4") >= number
                }
                #expect(dropped, "drop \(number) never showed as offline")
                #expect(await receiver.waitUntilConnected(timeout: .seconds(5)))
                #expect(
                    await harness.waitFor("rx-4", .online, timeout: .seconds(5)),
                    "back online after drop \(number)"
                )
            }
            await drop(1)
            await drop(2)
            let alerted = await eventually(timeout: .seconds(10)) { !harness.alerts(about: "rx-4").isEmpty }
            #expect(alerted)
            // Eight more within the flap window: they add up for the window's end, with no alert now.
            for number in 3...10 { await drop(number) }
            // Negative check. The marker: another receiver's alert, decided after rx-4's last change was (it is
            // older), so a second alert about rx-4 would have come by then.
            try await harness.alertAbout(downReceiver: "rx-5")
            #expect(await harness.offlineTransitions("rx-4") >= 10, "the history keeps every drop")
            let alerts = harness.alerts(about: "rx-4")
            #expect(alerts.count == 1, "alerts: \(alerts.map(\.summary))")
            #expect(alerts.first?.kind == .flapping)
        }
    }

    @Test func alertsGoToTheTopicAndTheStoreKeepsTheHistory() async throws {
        try await MonitorHarness.run { harness in
            let receiver = try await harness.receiver("rx-5")
            try harness.report(receiver, "rx-5", Telemetry(interval: 60))
            #expect(await harness.waitFor("rx-5", .online))
            receiver.shutdown(publishing: harness.status(.offline)("rx-5"))
            #expect(await harness.waitFor("rx-5", .offline))
            let alerted = await eventually(timeout: .seconds(5)) { harness.alertList.contains { $0.kind == .offline } }
            #expect(alerted)
            let alert = try #require(harness.alertList.first { $0.kind == .offline })
            #expect(alert.receivers.map(\.id) == ["rx-5"])
            #expect(alert.site == "xa-an-phu")
            // The service stores transitions on its own task.
            let stored = await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                (try? harness.database.recentReceiverTransitions(receiver: "rx-5", limit: 10))?.map(\.to) == [
                    .offline, .online,
                ]
            }
            #expect(
                stored,
                "\(String(describing: try? harness.database.recentReceiverTransitions(receiver: "rx-5", limit: 10)))"
            )
            let detail = try await harness.service.receiver(id: "rx-5")
            #expect(detail.availability.day != nil)
        }
    }

    @Test func badInputFromTheNetworkNeverChangesAnotherReceiver() async throws {
        try await TestBroker.withBroker { broker in
            // A retained status from an old protocol version, there before the controller subscribes.
            let topics = try TopicTree(site: "xa-an-phu")
            // Published, then seen coming back to its publisher: the broker holds it as the retained value.
            try await publishRetained(
                BusMessage(
                    topic: topics.receiverStatus("rx-6"),
                    text: #"{"state":"offline"}"#,
                    delivery: .atLeastOnce,
                    retain: true
                ),
                broker: broker
            )

            let harness = try await MonitorHarness(broker: broker, settings: MonitorHarness.fastSettings)
            defer { harness.stop() }
            try await harness.running { harness in
                let good = try await harness.receiver("rx-1")
                try harness.report(good, "rx-1", Telemetry(interval: 60, volume: 42))
                #expect(await harness.waitFor("rx-1", .online))
                let before = try await harness.service.receivers(zone: nil, filter: nil)

                let attacker = try await startedClient(broker, id: "attacker")
                defer { attacker.shutdown() }
                let bad: [(String, [UInt8])] = [
                    (topics.receiverTelemetry("rx-1"), Array("{not json".utf8)),
                    (topics.receiverTelemetry("rx-1"), Array(#"{"v":1,"interval":10,"volume":"loud"}"#.utf8)),
                    (topics.receiverTelemetry("rx-2"), [UInt8](repeating: 0x7B, count: 256 * 1024)),
                    (topics.receiverStatus("rx-2"), Array(#"{"v":7,"state":"offline"}"#.utf8)),
                    (topics.receiverTelemetry("rx-999"), Array(#"{"v":1,"interval":10}"#.utf8)),
                    (topics.receiverEvents("rx-3"), Array(#"{"v":1,"kind":"self.destruct","at":0}"#.utf8)),
                    (topics.receiverStatus("rx-1") + "x", Array("{}".utf8)),
                ]
                for (topic, payload) in bad {
                    try attacker.publish(BusMessage(topic: topic, payload: payload, delivery: .atLeastOnce))
                }
                // A valid message after the bad ones proves the monitor is still reading.
                try harness.report(good, "rx-1", Telemetry(interval: 60, volume: 43))
                let caughtUp = await eventually(timeout: .seconds(5)) {
                    (try? await harness.service.receiver(id: "rx-1"))?.status.telemetry?.volume == 43
                }
                #expect(caughtUp)
                // The valid message came from another client, so it does not prove the attacker's were read: wait
                // for the counters (each bad message counts once) before ruling out any other effect.
                let expected = ["malformed": 3, "too-large": 1, "version": 2, "stranger": 1]
                let counted = await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                    let problems = harness.service.metricsPart().counters.problems
                    return expected.allSatisfy { problems[$0.key] ?? 0 >= $0.value }
                }
                #expect(counted, "\(harness.service.metricsPart().counters.problems)")
                let after = try await harness.service.receivers(zone: nil, filter: nil)
                let known = Set(MonitorHarness.inventory.receivers.map(\.id))
                for (old, new) in zip(before.filter { known.contains($0.id) }, after.filter { known.contains($0.id) })
                where old.id != "rx-1" {
                    #expect(old.state == new.state, "\(old.id) changed")
                }
                #expect(await harness.state("rx-6") == .unknown, "an old-version retained status is ignored")
                #expect(after.first { $0.id == "rx-999" }?.stranger == true)
                let counters = harness.service.metricsPart().counters
                #expect(counters.problems["malformed"] == 3)
                #expect(counters.problems["too-large"] == 1)
                #expect(counters.problems["version"] == 2)
                #expect(counters.problems["stranger"] == 1)
            }
        }
    }

    @Test func aRestartRestoresStatesWithoutNewAlerts() async throws {
        try await TestBroker.withBroker { broker in
            let first = try await MonitorHarness(broker: broker, settings: MonitorHarness.fastSettings)
            try await first.running { harness in
                let receiver = try await harness.receiver("rx-1")
                try harness.report(receiver, "rx-1", Telemetry(interval: 60))
                #expect(await harness.waitFor("rx-1", .online))
                receiver.shutdown(publishing: harness.status(.offline)("rx-1"))
                #expect(await harness.waitFor("rx-1", .offline))
                #expect(await eventually(timeout: .seconds(5)) { !harness.alertList.isEmpty })
            }
            first.stop()
            let since = try #require(try await first.service.receiver(id: "rx-1").status.since)

            let second = try await MonitorHarness(
                broker: broker,
                settings: MonitorHarness.fastSettings,
                directory: first.directory
            )
            defer { second.stop() }
            try await second.running { harness in
                #expect(await harness.state("rx-1") == .offline)
                let restored = try await harness.service.receiver(id: "rx-1").status
                #expect(abs(restored.since!.timeIntervalSince(since)) < 0.01)
                // Negative check. The marker: another receiver's alert, decided after rx-1's retained `offline`
                // was read again (it came first), so a repeated alert about rx-1 would have come by then.
                try await harness.alertAbout(downReceiver: "rx-2")
                #expect(
                    harness.alerts(about: "rx-1").isEmpty,
                    "a restart repeats no alert: \(harness.alertList.map(\.summary))"
                )
                #expect(harness.alertList.allSatisfy { $0.receivers.map(\.id) == ["rx-2"] })
            }
        }
    }
}

/// A started client of the test broker, for publishing as a test.
func startedClient(_ broker: MosquittoBroker, id: String) async throws -> MQTTClient {
    let client = try MQTTClient(
        configuration: MQTTConfiguration(
            host: "127.0.0.1",
            port: broker.port,
            clientID: "\(id)-\(UUID().uuidString.prefix(8))"
        ),
        logger: TestBroker.logger("loa.test.\(id)")
    )
    try client.start()
    guard await client.waitUntilConnected(timeout: .seconds(15)) else {
        throw HarnessFailure("\(id) connecting" + " did not happen within 15 s")
    }
    return client
}
