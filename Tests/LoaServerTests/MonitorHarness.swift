import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaStore
import LoaTestSupport
import Logging
import Synchronization
import Testing

@testable import LoaServer

/// A `ReceiverMonitorService` on a real mosquitto and a real SQLite file, fed the way `loa serve` feeds it
/// (its own controller client, subscribed to `rx/+/+`), with simulated receivers as MQTT clients that have
/// a birth and a will, like firmware.
final class MonitorHarness: Sendable {
    let broker: MosquittoBroker
    let topics = try! TopicTree(site: "xa-an-phu")
    let controller: MQTTClient
    let service: ReceiverMonitorService
    let database: LoaDatabase
    let directory: String
    /// Every alert seen on `{root}/alerts`.
    let alerts = Mutex<[ReceiverAlert]>([])
    let clients = Mutex<[MQTTClient]>([])

    static let inventory = SiteInventory(
        zones: [Zone(id: "thon-dong", name: "Thôn Đông"), Zone(id: "thon-tay", name: "Thôn Tây")],
        receivers: (1...6).map {
            Receiver(id: "rx-\($0)", name: "Cụm loa \($0)", zone: $0 <= 3 ? "thon-dong" : "thon-tay")
        }
    )

    /// Fast settings for tests: telemetry every second, alerts grouped for half a second.
    static var fastSettings: MonitoringSettings {
        var settings = MonitoringSettings()
        settings.monitor.thresholds.defaultInterval = 1
        settings.monitor.alerts.groupWait = 0.5
        settings.monitor.alerts.flapWindow = 60
        return settings
    }

    init(broker: MosquittoBroker, settings: MonitoringSettings, directory: String? = nil) async throws {
        self.broker = broker
        self.directory = try directory ?? TestBroker.makeTemporaryDirectory(prefix: "loa-monitor")
        database = try LoaDatabase(path: "\(self.directory)/loa.sqlite")
        controller = try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1",
                port: broker.port,
                clientID: "controller-\(UUID().uuidString.prefix(8))",
                reconnect: Backoff(initial: .milliseconds(100), maximum: .seconds(1))
            ),
            logger: TestBroker.logger("loa.test.controller")
        )
        service = ReceiverMonitorService(
            topics: topics,
            inventory: Self.inventory,
            settings: settings,
            bus: controller,
            store: database,
            clock: SystemWallClock(),
            signer: SignedAlerts.testKey,
            tickInterval: 0.1,
            logger: quietLogger("loa.test.monitor")
        )
        try controller.subscribe(to: service.subscription.text, delivery: .atLeastOnce)
        try controller.subscribe(to: topics.alerts, delivery: .atLeastOnce)
        try controller.start()
        guard await controller.waitUntilConnected(timeout: .seconds(15)) else {
            throw HarnessFailure("controller connecting" + " did not happen within 15 s")
        }
    }

    /// Runs `body` with the monitor service and the bus routing running, then stops everything.
    static func run(
        settings: MonitoringSettings = fastSettings,
        _ body: @Sendable (MonitorHarness) async throws -> Void
    ) async throws {
        try await TestBroker.withBroker { broker in
            let harness = try await MonitorHarness(broker: broker, settings: settings)
            defer { harness.stop() }
            try await harness.running(body)
        }
    }

    func running(_ body: @Sendable (MonitorHarness) async throws -> Void) async throws {
        let service = self.service
        let controller = self.controller
        let alertTopic = topics.alerts
        let serviceTask = Task { try? await service.run() }
        let routeTask = Task {
            for await message in controller.messages {
                if message.topic == alertTopic {
                    if let alert = SignedAlerts.open(message.payload, key: SignedAlerts.testKey) {
                        self.alerts.withLock { $0.append(alert) }
                    }
                    continue
                }
                service.receive(message)
            }
        }
        defer {
            serviceTask.cancel()
            routeTask.cancel()
        }
        try await body(self)
    }

    func stop() {
        for client in clients.withLock({ $0 }) { client.shutdown() }
        controller.shutdown()
    }

    func status(_ state: AvailabilityStatus.State) -> (String) -> BusMessage {
        { id in
            BusMessage(
                topic: self.topics.receiverStatus(id),
                payload: AvailabilityStatus(state: state, version: "0.1.0").encoded(),
                delivery: .atLeastOnce,
                retain: true
            )
        }
    }

    /// A simulated receiver: connected, with `online` as its birth and `offline` as its will.
    func receiver(_ id: String, keepAlive: Duration = .seconds(5)) async throws -> MQTTClient {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1",
                port: broker.port,
                clientID: id,
                keepAlive: keepAlive,
                birth: status(.online)(id),
                will: status(.offline)(id),
                reconnect: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
            ),
            logger: TestBroker.logger("loa.test.receiver")
        )
        try client.start()
        guard await client.waitUntilConnected(timeout: .seconds(15)) else {
            throw HarnessFailure("\(id) connecting" + " did not happen within 15 s")
        }
        clients.withLock { $0.append(client) }
        return client
    }

    /// Publishes telemetry as receiver `id` would.
    func report(
        _ client: MQTTClient,
        _ id: String,
        _ telemetry: Telemetry = Telemetry(interval: 1, signal: .init(rssi: -70, network: "4g"), volume: 80)
    ) throws {
        try client.publish(
            BusMessage(topic: topics.receiverTelemetry(id), payload: Array(try JSONEncoder().encode(telemetry)))
        )
    }

    func state(_ id: String) async -> ReceiverState? {
        try? await service.receivers(zone: nil, filter: nil).first { $0.id == id }?.state
    }

    /// Waits until `id` is in `state`; true if it got there within `timeout`.
    func waitFor(_ id: String, _ state: ReceiverState, timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(20)) { await self.state(id) == state }
    }

    var alertList: [ReceiverAlert] { alerts.withLock { $0 } }

    /// The alerts seen so far that name receiver `id`.
    func alerts(about id: String) -> [ReceiverAlert] {
        alertList.filter { $0.receivers.contains { $0.id == id } }
    }

    /// How many times `id` went offline, from its stored history (the last 50 transitions).
    func offlineTransitions(_ id: String) async -> Int {
        ((try? await service.receiver(id: id))?.history ?? []).filter { $0.to == .offline }.count
    }

    /// Brings receiver `id` online, then takes it offline (a goodbye), and waits for the alert that follows
    /// `groupWait` later: a marker that every change older than this one has been decided.
    func alertAbout(downReceiver id: String, timeout: Duration = .seconds(10)) async throws {
        let client = try await receiver(id)
        try report(client, id, Telemetry(interval: 60))
        guard await waitFor(id, .online) else { throw HarnessFailure("\(id) never showed online") }
        client.shutdown(publishing: status(.offline)(id))
        guard await eventually(timeout: timeout, { !self.alerts(about: id).isEmpty }) else {
            throw HarnessFailure("no alert about \(id) within \(timeout): \(alertList.map(\.summary))")
        }
    }
}

/// Publishes `message` (retained) from a client of its own that is subscribed to its topic, and returns once
/// the message has come back: the broker has processed it, and holds it as the topic's retained value.
func publishRetained(_ message: BusMessage, broker: MosquittoBroker, timeout: Duration = .seconds(10)) async throws {
    let client = try MQTTClient(
        configuration: MQTTConfiguration(
            host: "127.0.0.1",
            port: broker.port,
            clientID: "retainer-\(UUID().uuidString.prefix(8))"
        ),
        logger: TestBroker.logger("loa.test.retainer")
    )
    defer { client.shutdown() }
    try client.subscribe(to: message.topic, delivery: .atLeastOnce)
    try client.start()
    guard await client.waitUntilConnected(timeout: .seconds(15)) else {
        throw HarnessFailure("retainer connecting did not happen within 15 s")
    }
    try client.publish(message)
    let payload = message.payload
    let echoed = await within(timeout) {
        for await received in client.messages where received.payload == payload { return true }
        return false
    }
    guard echoed else { throw HarnessFailure("\(message.topic) did not come back within \(timeout)") }
}

/// A mosquitto_sub child process that behaves like receiver firmware at the socket level: a will on its
/// status topic, a keepalive, and nothing else. Killing it with SIGKILL (a crash) or SIGSTOP (a cable pull:
/// the socket stays open and silent) is the real thing.
final class WillProcess: @unchecked Sendable {
    let process = Process()
    let output: String

    init(broker: MosquittoBroker, topics: TopicTree, id: String, keepAlive: Int, directory: String) throws {
        output = "\(directory)/\(id).mosquitto_sub.log"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        // stdbuf: line-buffered, so the CONNACK line is in the file when it happens (stdbuf execs, so the pid is
        // mosquitto_sub's own).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = [
            "-oL", "/usr/bin/mosquitto_sub", "-d", "-h", "127.0.0.1", "-p", "\(broker.port)", "-i", id, "-k",
            "\(keepAlive)", "-q", "1",
            "-t", topics.commands(.receiver(id)),
            "--will-topic", topics.receiverStatus(id), "--will-payload", #"{"state":"offline","v":1}"#,
            "--will-qos", "1", "--will-retain",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the broker has accepted its connection (and so holds its will).
    func waitUntilConnected() async -> Bool {
        await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
            ((try? String(contentsOfFile: self.output, encoding: .utf8)) ?? "").contains("CONNACK")
        }
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Something the harness waited for did not happen.
struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A logger for parts that log errors on purpose (alerts, refused webhooks): silent unless
/// `LOA_TEST_LOG_LEVEL` asks.
func quietLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel =
        ProcessInfo.processInfo.environment["LOA_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}
