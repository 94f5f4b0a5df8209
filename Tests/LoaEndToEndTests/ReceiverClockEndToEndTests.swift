import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// Issue 13's clocks and identities on the real thing: `loa serve` with its mosquitto, and real `loa receiver`
/// processes, one of them run 40 s off (`--simulate-clock-offset-s 40`) or two of them with one id.
@Suite("Receiver clocks and identities end to end", .serialized)
struct ReceiverClockEndToEndTests {
    static let site = "xa-an-phu"

    /// A daemon whose alerts wait 2 s, not 10, so one comes within a telemetry interval (10 s) of the report
    /// that shows the problem; and whose `clock-offset` threshold allows for a command's transit on a machine
    /// shared with other builds (the receivers here estimate their offset from commands' `ts`: no NTP).
    /// `broker` is the path of every inventory receiver's enrollment (`loa receivers enroll --all`).
    static func daemon() async throws -> (DaemonUnderTest, broker: String, key: String) {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        try "degraded:\n  clock-offset-ms: 1000\nalerts:\n  group-wait: 2\n".write(
            toFile: "\(configs)/monitoring.yaml",
            atomically: true,
            encoding: .utf8
        )
        let daemon = try await DaemonUnderTest(deviceConfigs: configs)
        let broker = "\(daemon.directory)/all.enrollment"
        let enrolled = try await daemon.loa(["receivers", "enroll", "--all", "--output", broker])
        try #require(enrolled.status == 0, "loa receivers enroll --all: \(enrolled.stderr)")
        let key = try await daemon.loa(["key", "show"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (daemon, broker, key)
    }

    static func receiver(
        _ id: String,
        zone: String,
        daemon: DaemonUnderTest,
        broker: String,
        key: String,
        stateDirectory: String? = nil,
        extra: [String] = []
    ) throws -> LoaProcess {
        try LoaProcess(
            [
                "receiver", "--enrollment", broker, "--id", id, "--zone", zone, "--audio-device", "none",
                "--controller-key", key, "--state-dir", stateDirectory ?? "\(daemon.directory)/\(id)",
                "--telemetry-interval", "10", "--keepalive", "5",
            ] + extra,
            directory: daemon.directory
        )
    }

    static func statuses(_ daemon: DaemonUnderTest) async -> [String: ReceiverStatus] {
        guard let result = try? await daemon.loa(["receivers", "--json"]),
            let list = try? APICoding.decoder().decode([ReceiverStatus].self, from: Data(result.stdout.utf8))
        else { return [:] }
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A test client on the daemon's broker that keeps the alerts and when each receiver's first report came.
    final class Watcher: @unchecked Sendable {
        let client: MQTTClient
        let lock = NSLock()
        var alerts: [(alert: ReceiverAlert, at: ContinuousClock.Instant)] = []
        var firstTelemetry: [String: ContinuousClock.Instant] = [:]
        var task: Task<Void, Never>?

        /// - Parameter key: the daemon's public key, which every alert must be signed with.
        init(daemon: DaemonUnderTest, key: String) async throws {
            client = try MQTTClient(
                configuration: daemon.brokerClient("clock-watcher"),
                logger: TestBroker.logger("clock-watcher")
            )
            try client.start()
            guard await client.waitUntilConnected(timeout: .seconds(10)) else { throw NotConnected() }
            let root = "loa/v1/\(ReceiverClockEndToEndTests.site)"
            try client.subscribe(to: "\(root)/alerts", delivery: .atLeastOnce)
            try client.subscribe(to: "\(root)/rx/+/telemetry", delivery: .atMostOnce)
            task = Task { [client, weak self] in
                for await message in client.messages {
                    let now = ContinuousClock.now
                    if message.topic.hasSuffix("/alerts") {
                        guard let alert = SignedAlerts.open(message.payload, publicKeyText: key) else { continue }
                        self?.lock.withLock { self?.alerts.append((alert, now)) }
                    } else if let id = message.topic.split(separator: "/").dropLast().last.map(String.init) {
                        self?.lock.withLock {
                            if self?.firstTelemetry[id] == nil { self?.firstTelemetry[id] = now }
                        }
                    }
                }
            }
        }

        func alerts(about id: String) -> [(alert: ReceiverAlert, at: ContinuousClock.Instant)] {
            lock.withLock { alerts.filter { $0.alert.receivers.contains { $0.id == id } } }
        }

        func firstReport(of id: String) -> ContinuousClock.Instant? { lock.withLock { firstTelemetry[id] } }

        func stop() {
            task?.cancel()
            client.shutdown()
        }

        struct NotConnected: Error {}
    }

    @Test func aReceiverFortySecondsOffIsDegradedAlertedAndRefusesAsStale() async throws {
        let (daemon, broker, key) = try await Self.daemon()
        let watcher = try await Watcher(daemon: daemon, key: key)
        defer { watcher.stop() }
        let off = try Self.receiver(
            "rx-dong-01",
            zone: "thon-dong",
            daemon: daemon,
            broker: broker,
            key: key,
            extra: ["--simulate-clock-offset-s", "40"]
        )
        let right = try Self.receiver("rx-tay-01", zone: "thon-tay", daemon: daemon, broker: broker, key: key)
        defer {
            off.kill()
            right.kill()
        }

        // Shown degraded by its clock, from its first report.
        var shown: [String: ReceiverStatus] = [:]
        let degraded = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            shown = await Self.statuses(daemon)
            return shown["rx-dong-01"]?.state == .degraded && shown["rx-tay-01"]?.lastTelemetry != nil
        }
        try #require(degraded, "not degraded: \(shown["rx-dong-01"].map { "\($0)" } ?? "-"); \(off.stderr)")
        let offStatus = try #require(shown["rx-dong-01"])
        #expect(offStatus.reasons.contains(.clockSkew), "\(offStatus.reasons)")
        let skew = try #require(offStatus.clockSkewMs)
        #expect(abs(skew - 40_000) < 2_000, "skew \(skew) ms")
        #expect(offStatus.telemetry?.clockOffsetMs == nil, "no NTP here and no command yet: unknown, not 0")
        let rightStatus = try #require(shown["rx-tay-01"])
        #expect(rightStatus.state == .online && rightStatus.reasons.isEmpty, "\(rightStatus)")
        #expect(rightStatus.clockSkewMs.map { abs($0) < 2_000 } == true)

        // One alert, within one telemetry interval of its first report.
        let alerted = await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            !watcher.alerts(about: "rx-dong-01").isEmpty
        }
        try #require(alerted, "no alert")
        let (alert, alertedAt) = try #require(watcher.alerts(about: "rx-dong-01").first)
        let firstReport = try #require(watcher.firstReport(of: "rx-dong-01"))
        print("clocks: degraded alert \(alertedAt - firstReport) after the first report: \(alert.summary)")
        #expect(alertedAt - firstReport <= .seconds(10), "one telemetry interval")
        #expect(alert.kind == .degraded)
        #expect(alert.summary.contains("clock-skew +"), "\(alert.summary)")
        #expect(watcher.alerts(about: "rx-tay-01").isEmpty)

        // `loa receivers` and `loa health` name it, with the reason.
        let table = try await daemon.loa(["receivers"])
        #expect(table.stdout.contains("rx-dong-01: degraded by clock-skew +"), "\(table.stdout)")
        let health = try await daemon.loa(["health"])
        #expect(health.status == 1, "WARNING: \(health.stdout)")
        #expect(health.stdout.contains("clock off by seconds, missing broadcasts: rx-dong-01"), "\(health.stdout)")

        // A command: the one off refuses it as stale, and is degraded by that too; the other obeys.
        let volume = try await daemon.loa(["volume", "40", "--all"])
        try #require(volume.status == 0, "\(volume.stderr)")
        let refused = await eventually(timeout: .seconds(15), every: .milliseconds(200)) {
            shown = await Self.statuses(daemon)
            return shown["rx-dong-01"]?.reasons.contains(.commandsStale) == true
        }
        #expect(refused, "\(shown["rx-dong-01"].map { "\($0)" } ?? "-")")
        #expect(shown["rx-dong-01"]?.lastRejectedCommand?.reason == "stale")
        #expect(shown["rx-tay-01"]?.state == .online && shown["rx-tay-01"]?.rejectedCommands == 0)
        // Its next reports carry its own estimate, from the refused command's `ts`.
        let estimated = await eventually(timeout: .seconds(25), every: .milliseconds(250)) {
            shown = await Self.statuses(daemon)
            return shown["rx-dong-01"]?.telemetry?.clockOffsetMs != nil
                && shown["rx-tay-01"]?.telemetry?.clockOffsetMs != nil
        }
        #expect(estimated)
        let offset = shown["rx-dong-01"]?.telemetry?.clockOffsetMs ?? 0
        #expect(abs(offset - 40_000) < 2_000, "its own estimate: \(offset) ms")
        #expect(shown["rx-dong-01"]?.reasons.contains(.clockOffset) == true)
        let rightOffset = shown["rx-tay-01"]?.telemetry?.clockOffsetMs ?? .infinity
        #expect(abs(rightOffset) < 1_000, "the other's estimate: \(rightOffset) ms")
        #expect(shown["rx-tay-01"]?.state == .online, "\(shown["rx-tay-01"].map { "\($0)" } ?? "-")")
        let show = try await daemon.loa(["receivers", "show", "rx-dong-01"])
        #expect(show.stdout.contains("commands-stale"), "\(show.stdout)")

        // And the broadcast log names it: an announcement to both is partial, the one 40 s off refused (stale).
        let announced = try await daemon.loa([
            "announce", "--text", "Thông báo thử loa.", "--receivers", "rx-dong-01,rx-tay-01", "--no-chime", "--json",
        ])
        try #require(announced.status == 0, "\(announced.stderr)")
        let receipt = try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(announced.stdout.utf8))
        var entry: BroadcastLogEntry?
        let ended = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            let log = try? await daemon.loa(["log", "--json"])
            entry = (try? APICoding.decoder().decode([BroadcastLogEntry].self, from: Data((log?.stdout ?? "").utf8)))?
                .first { $0.id == receipt.broadcastID }
            return entry?.outcome.isFinal == true
        }
        #expect(ended, "\(String(describing: entry))")
        #expect(entry?.outcome == .partial, "\(String(describing: entry))")
        let refusal = entry?.receivers?.first { $0.receiver == "rx-dong-01" }
        #expect(refusal?.state == .refused && refusal?.detail == "stale", "\(String(describing: refusal))")
        // Filed at the controller's time, not the receiver's clock 40 s ahead.
        #expect(refusal.map { abs($0.at.timeIntervalSinceNow) < 30 } == true, "\(String(describing: refusal))")
        #expect(entry?.receivers?.first { $0.receiver == "rx-tay-01" }?.state == .played)
        #expect(await daemon.stop() == 0)
    }

    @Test func twoReceiversWithOneIDGiveOneDuplicateAlert() async throws {
        let (daemon, broker, key) = try await Self.daemon()
        let watcher = try await Watcher(daemon: daemon, key: key)
        defer { watcher.stop() }
        let first = try Self.receiver(
            "rx-bai-01",
            zone: "xom-bai",
            daemon: daemon,
            broker: broker,
            key: key,
            stateDirectory: "\(daemon.directory)/bai-a"
        )
        defer { first.kill() }
        let online = await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            await Self.statuses(daemon)["rx-bai-01"]?.state == .online
        }
        try #require(online, "\(first.stderr)")
        let second = try Self.receiver(
            "rx-bai-01",
            zone: "xom-bai",
            daemon: daemon,
            broker: broker,
            key: key,
            stateDirectory: "\(daemon.directory)/bai-b"
        )
        defer { second.kill() }

        let alerted = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            watcher.alerts(about: "rx-bai-01").contains { $0.alert.kind == .duplicateID }
        }
        try #require(
            alerted,
            "no duplicate-id alert; alerts: \(watcher.alerts(about: "rx-bai-01").map(\.alert.summary))"
        )
        // The two keep taking turns: past the group wait of every change before the diagnosis, still one alert.
        try await Task.sleep(for: .seconds(12))
        let alerts = watcher.alerts(about: "rx-bai-01").map(\.alert)
        print("clocks: alerts for two receivers on one id: \(alerts.map(\.summary))")
        #expect(alerts.map(\.kind) == [.duplicateID], "\(alerts.map(\.summary))")
        let status = await Self.statuses(daemon)["rx-bai-01"]
        #expect(status?.duplicate.map { $0.instances.count >= 2 } == true, "\(status.map { "\($0)" } ?? "-")")
        let show = try await daemon.loa(["receivers", "show", "rx-bai-01"])
        #expect(show.stdout.contains("duplicate id"), "\(show.stdout)")
        #expect(show.stdout.contains("two devices use this id"), "\(show.stdout)")
        #expect(await daemon.stop() == 0)
    }
}
