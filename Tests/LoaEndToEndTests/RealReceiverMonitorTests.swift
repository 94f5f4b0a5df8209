import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// The monitor with real `loa receiver` processes: online when they run, offline when one is killed, lost
/// when one stops reporting while its connection stays up, and back as soon as it reports again.
@Suite("Monitoring real receivers")
struct RealReceiverMonitorTests {
    func states(_ daemon: DaemonUnderTest) async -> [String: ReceiverState] {
        guard let result = try? await daemon.loa(["receivers", "--json"]),
            let list = try? APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
        else { return [:] }
        return Dictionary(list.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    func status(_ daemon: DaemonUnderTest, _ id: String) async -> ReceiverStatus? {
        guard let result = try? await daemon.loa(["receivers", "--json"]),
            let list = try? APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
        else { return nil }
        return list.first { $0.id == id }
    }

    func startReceiver(
        _ id: String,
        zone: String,
        daemon: DaemonUnderTest,
        enrollment: String
    ) throws -> LoaProcess {
        try LoaProcess(
            [
                "receiver", "--enrollment", enrollment, "--audio-device", "none", "--state-dir",
                "\(daemon.directory)/\(id)", "--telemetry-interval", "1", "--keepalive", "5",
            ],
            directory: daemon.directory
        )
    }

    @Test func killedStoppedAndResumedReceivers() async throws {
        let daemon = try await DaemonUnderTest()
        let first = try startReceiver(
            "rx-dong-01",
            zone: "thon-dong",
            daemon: daemon,
            enrollment: try await daemon.enroll("rx-dong-01")
        )
        let second = try startReceiver(
            "rx-tay-01",
            zone: "thon-tay",
            daemon: daemon,
            enrollment: try await daemon.enroll("rx-tay-01")
        )
        defer {
            first.kill()
            second.signal(SIGCONT)
            second.kill()
        }
        let online = await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            let states = await states(daemon)
            return states["rx-dong-01"] == .online && states["rx-tay-01"] == .online
        }
        try #require(online, "receivers never online; receiver stderr: \(first.stderr) \(second.stderr)")

        // Killed: the broker publishes its will.
        first.signal(SIGKILL)
        let killed = ContinuousClock.now
        let offline = await eventually(timeout: .seconds(15), every: .milliseconds(100)) {
            await states(daemon)["rx-dong-01"] == .offline
        }
        let tookOffline = ContinuousClock.now - killed
        print("monitor: offline \(tookOffline) after SIGKILL (keepalive 5 s)")
        #expect(offline)
        #expect(tookOffline <= .milliseconds(7500), "offline took longer than keepalive × 1.5")
        let other = await states(daemon)["rx-tay-01"]
        #expect(other == .online, "another receiver's state changed")

        // Stopped: no telemetry while the TCP connection stays open (keepalive not yet expired) is lost
        // after 3 intervals; resumed, it is back within one.
        second.signal(SIGSTOP)
        let stopped = ContinuousClock.now
        var lostStatus: ReceiverStatus?
        let lost = await eventually(timeout: .seconds(7), every: .milliseconds(100)) {
            lostStatus = await status(daemon, "rx-tay-01")
            return lostStatus?.state == .lost
        }
        let tookLost = ContinuousClock.now - stopped
        #expect(lost)
        // Lost after 3 intervals without telemetry: counted from its last report, which may have come up to an
        // interval before the SIGSTOP (the store and the API keep milliseconds).
        let silence = try #require(lostStatus?.since).timeIntervalSince(try #require(lostStatus?.lastTelemetry))
        print(
            "monitor: lost \(tookLost) after SIGSTOP, \(String(format: "%.3f", silence)) s after its last telemetry (interval 1 s)"
        )
        #expect(silence >= 2.998, "lost \(silence) s after its last telemetry")
        second.signal(SIGCONT)
        let resumed = ContinuousClock.now
        let back = await eventually(timeout: .seconds(5), every: .milliseconds(100)) {
            await states(daemon)["rx-tay-01"] == .online
        }
        print("monitor: online again \(ContinuousClock.now - resumed) after telemetry resumed")
        #expect(back)
        #expect(ContinuousClock.now - resumed <= .seconds(2))
        #expect(await daemon.stop() == 0)
    }

    @Test func aFlappingReceiverGivesOneAlert() async throws {
        // The group wait must cover the first reconnects (4 changes make a receiver flapping) however slowly a
        // loaded machine starts the receiver again: 30 s here, not the default 10 s.
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        try "alerts:\n  group-wait: 30\n".write(toFile: "\(configs)/monitoring.yaml", atomically: true, encoding: .utf8)
        let daemon = try await DaemonUnderTest(deviceConfigs: configs)
        let enrollment = try await daemon.enroll("rx-bai-01")
        let key = try await daemon.loa(["key", "show"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let watcher = try MQTTClient(
            configuration: daemon.brokerClient("alert-watcher"),
            logger: TestBroker.logger("alert-watcher")
        )
        try watcher.start()
        defer { watcher.shutdown() }
        #expect(await watcher.waitUntilConnected(timeout: .seconds(10)))
        try watcher.subscribe(to: "loa/v1/xa-an-phu/alerts", delivery: .atLeastOnce)
        let collected = AlertList()
        let watching = Task {
            for await message in watcher.messages {
                if let alert = SignedAlerts.open(message.payload, publicKeyText: key) {
                    collected.append(alert)
                }
            }
        }
        defer { watching.cancel() }

        var receiver = try startReceiver("rx-bai-01", zone: "xom-bai", daemon: daemon, enrollment: enrollment)
        defer { receiver.kill() }
        let online = await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            await states(daemon)["rx-bai-01"] == .online
        }
        try #require(online)
        // 10 reconnects within a minute: killed (the will says offline), started again (the birth says online).
        for _ in 0..<10 {
            receiver.signal(SIGKILL)
            _ = await receiver.waitForExit(timeout: .seconds(5))
            _ = await eventually(timeout: .seconds(3), every: .milliseconds(50)) {
                await states(daemon)["rx-bai-01"] == .offline
            }
            receiver = try startReceiver("rx-bai-01", zone: "xom-bai", daemon: daemon, enrollment: enrollment)
            _ = await eventually(timeout: .seconds(5), every: .milliseconds(50)) {
                await states(daemon)["rx-bai-01"] == .online
            }
        }
        // After the monitor's group wait, one alert for all those changes. (A flush alerts a receiver at most
        // once, and a change after an alert waits for the end of the flap window, 300 s: a second alert could
        // only have come before or with this one.)
        func alertsAboutIt() -> [ReceiverAlert] {
            collected.items.filter { $0.receivers.contains { $0.id == "rx-bai-01" } }
        }
        let alerted = await eventually(timeout: .seconds(40), every: .milliseconds(100)) { !alertsAboutIt().isEmpty }
        #expect(alerted, "no alert for a receiver that reconnected 10 times")
        let alerts = alertsAboutIt()
        print("monitor: alerts for a receiver that reconnected 10 times: \(alerts.map(\.kind))")
        #expect(alerts.count == 1, "alerts: \(alerts.map(\.summary))")
        #expect(alerts.first?.kind == .flapping)
        #expect(await daemon.stop() == 0)
    }
}

/// Alerts seen by the watcher's task.
final class AlertList: @unchecked Sendable {
    let lock = NSLock()
    var alerts: [ReceiverAlert] = []

    func append(_ alert: ReceiverAlert) { lock.withLock { alerts.append(alert) } }
    var items: [ReceiverAlert] { lock.withLock { alerts } }
}
