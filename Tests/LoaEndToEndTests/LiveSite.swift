import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Synchronization
import Testing

/// A whole commune on one machine, for the streaming end-to-end tests: `loa serve` playing into a `file`
/// PCM, real `loa receiver` processes on its embedded broker (each with a `file` PCM, a playout journal and a
/// state dir), and a watcher on the broker that records what receivers publish and every command sent, as a
/// technician with `mosquitto_sub` would see them. Everything is checked from the outside: the CLI, the
/// broker, and the files the PCMs and journals leave.
final class LiveSite: @unchecked Sendable {
    /// One `loa receiver` process and the files it leaves.
    struct Receiver: Sendable {
        let id: String
        let zone: String
        let process: LoaProcess
        let output: String
        let journal: String
        let stateDirectory: String
    }

    let daemon: DaemonUnderTest
    let directory: String
    let brokerURL: String
    let key: String
    let topics: TopicTree
    let watcher: MQTTClient
    /// A client with the controller's own broker account: what an attacker could send if the broker let
    /// anything through (a site broker without ACLs), to show that receivers still check every message.
    let insider: MQTTClient
    let gatewayOutput: String
    let gatewayJournal: String
    /// Every inventory receiver's enrollment (`loa receivers enroll --all`).
    let enrollments: [Enrollment]
    private let inbox = Inbox()
    private let recording: Task<Void, Never>
    private let started = Mutex<[Receiver]>([])

    static let site = "xa-an-phu"

    /// A message the watcher received, and when (wall-clock µs, the protocol's time base).
    struct Arrival: Sendable {
        let message: BusMessage
        let at: Int64
    }

    /// What the watcher received, in arrival order.
    private final class Inbox: Sendable {
        let arrivals = Mutex<[Arrival]>([])
        func append(_ message: BusMessage) {
            arrivals.withLock { $0.append(Arrival(message: message, at: LiveSite.now())) }
        }
        func withLock<T>(_ body: (inout [Arrival]) -> T) -> T { arrivals.withLock { body(&$0) } }
    }

    /// Starts `loa serve` with the sample commune and connects the watcher; no receivers yet. `prepare` is
    /// given the site's directory before the daemon starts (to mount a small disk as its state dir, say).
    ///
    /// `arguments` and `environment` are added to `loa serve`'s (a live device, relay settings).
    init(
        label: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        prepare: (String) throws -> Void = { _ in }
    ) async throws {
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-\(label)")
        try prepare(directory)
        gatewayOutput = "\(directory)/gateway.wav"
        gatewayJournal = "\(directory)/gateway.jsonl"
        daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "file:'\(gatewayOutput)',wav", "--playout-journal", gatewayJournal]
                + arguments,
            directory: directory,
            environment: environment
        )
        let health = try APICoding.decoder().decode(
            HealthCommandOutput.self,
            from: Data(try await daemon.loa(["health", "--json"]).stdout.utf8)
        )
        brokerURL = try #require(health.report?.brokerURL)
        key = try await daemon.loa(["key", "show"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        topics = try TopicTree(site: Self.site)
        // Every receiver of the inventory is enrolled once; each `startReceiver` runs from its own enrollment.
        let enrolled = try await daemon.loa(["receivers", "enroll", "--all", "--output", "\(directory)/all.enrollment"])
        try #require(enrolled.status == 0, "loa receivers enroll --all: \(enrolled.stderr)")
        enrollments = try Enrollment.parse(String(contentsOfFile: "\(directory)/all.enrollment", encoding: .utf8))
        watcher = try MQTTClient(
            configuration: daemon.brokerClient("watcher-\(label)"),
            logger: TestBroker.logger("watcher")
        )
        try watcher.subscribe(to: "\(topics.root)/rx/#", delivery: .atLeastOnce)
        try watcher.subscribe(to: "\(topics.root)/cmd/#", delivery: .atLeastOnce)
        try watcher.subscribe(to: topics.alerts, delivery: .atLeastOnce)
        try watcher.start()
        let (watcher, inbox) = (watcher, inbox)
        recording = Task {
            for await message in watcher.messages { inbox.append(message) }
        }
        insider = try MQTTClient(
            configuration: daemon.brokerClient("insider-\(label)", controller: true),
            logger: TestBroker.logger("insider")
        )
        try insider.start()
        try #require(
            await insider.waitUntilConnected(timeout: .seconds(20)),
            "the insider never connected to \(brokerURL)"
        )
        try #require(
            await watcher.waitUntilConnected(timeout: .seconds(20)),
            "the watcher never connected to \(brokerURL)"
        )
    }

    /// Starts `loa receiver ID` (every second one `loa-receiver ID`) from its enrollment, over TLS on the field listener as in the field (with
    /// `controllerKey`, a wrong key instead of the daemon's); `extra` adds flags.
    @discardableResult
    func startReceiver(
        _ id: String,
        zone: String,
        controllerKey: String? = nil,
        extra: [String] = []
    ) throws
        -> Receiver
    {
        let output = "\(directory)/\(id).wav"
        let journal = "\(directory)/\(id).jsonl"
        let state = "\(directory)/\(id)-state"
        let enrollment = "\(directory)/\(id).enrollment"
        let own = try #require(enrollments.first { $0.id == id }, "\(id) is not in the sample inventory")
        try JSONEncoder().encode(own).write(to: URL(fileURLWithPath: enrollment))
        // Every second receiver a site starts is the standalone `loa-receiver`, so each end-to-end test plays
        // through both binaries (issue 19).
        let process = try LoaProcess.receiver(
            [
                "--enrollment", enrollment, "--zone", zone, "--audio-device", "file:'\(output)',wav",
                "--state-dir", state, "--playout-journal", journal, "--telemetry-interval", "1",
            ] + (controllerKey.map { ["--controller-key", $0] } ?? []) + extra,
            standalone: started.withLock { $0.count % 2 == 1 },
            directory: directory
        )
        let receiver = Receiver(
            id: id,
            zone: zone,
            process: process,
            output: output,
            journal: journal,
            stateDirectory: state
        )
        started.withLock { $0.append(receiver) }
        return receiver
    }

    var receivers: [Receiver] { started.withLock { $0 } }

    /// A client with receiver `id`'s own credential, over TLS on the field listener, as the device (or
    /// someone who stole its secret) would connect.
    func deviceClient(_ id: String) throws -> MQTTConfiguration {
        try Self.deviceClient(try #require(enrollments.first { $0.id == id }), directory: directory)
    }

    /// A client with `enrollment`'s credential, over TLS on the field listener; its CA is written into
    /// `directory`.
    static func deviceClient(_ enrollment: Enrollment, directory: String) throws -> MQTTConfiguration {
        let url = try #require(enrollment.brokers.first.flatMap(URLComponents.init(string:)))
        let ca = "\(directory)/field-ca.pem"
        try enrollment.ca.write(toFile: ca, atomically: true, encoding: .utf8)
        return MQTTConfiguration(
            host: try #require(url.host),
            port: try #require(url.port),
            clientID: enrollment.username,
            username: enrollment.username,
            password: enrollment.password,
            tls: .init(caFile: ca)
        )
    }

    /// Waits until every receiver in `ids` has said `online` on its status topic (it listens by then).
    func waitUntilOnline(_ ids: [String], timeout: Duration = .seconds(30)) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(50)) {
            ids.allSatisfy { self.statuses(of: $0).last == .online }
        }
    }

    /// SIGTERMs every receiver still running (each says offline and closes its PCM); their exit codes.
    @discardableResult
    func stopReceivers() async -> [String: Int32?] {
        var codes: [String: Int32?] = [:]
        for receiver in receivers where receiver.process.process.isRunning {
            receiver.process.signal(SIGTERM)
            codes[receiver.id] = await receiver.process.waitForExit(timeout: .seconds(10))
        }
        return codes
    }

    func shutdown() {
        recording.cancel()
        watcher.shutdown()
        insider.shutdown()
        for receiver in receivers { receiver.process.kill() }
    }

    deinit { shutdown() }

    // MARK: The CLI

    /// `loa announce ARGUMENTS --json`: the broadcast's log id.
    func announce(_ arguments: [String]) async throws -> Int64 {
        let result = try await daemon.loa(["announce"] + arguments + ["--json"])
        try #require(result.status == 0, "loa announce failed: \(result.stderr)")
        return try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(result.stdout.utf8)).broadcastID
    }

    /// `loa log --json`.
    func log() async throws -> [BroadcastLogEntry] {
        let result = try await daemon.loa(["log", "--json"])
        return try APICoding.decoder().decode([BroadcastLogEntry].self, from: Data(result.stdout.utf8))
    }

    /// Waits until broadcast `id` has an outcome that `done` accepts; the entry then.
    func waitForBroadcast(
        _ id: Int64,
        timeout: Duration = .seconds(60),
        until done: @escaping (BroadcastOutcome) -> Bool
    ) async -> BroadcastLogEntry? {
        var found: BroadcastLogEntry?
        _ = await eventually(timeout: timeout, every: .milliseconds(250)) {
            found = (try? await self.log())?.first { $0.id == id }
            return found.map { done($0.outcome) } ?? false
        }
        return found
    }

    /// Waits until the broadcast log has, for broadcast `id`, an entry that `done` accepts (its outcome and
    /// its per-receiver reports, which the daemon files a moment after the receivers' events); the entry then,
    /// whether or not it was accepted, for the test's own assertions.
    func waitForLogEntry(
        _ id: Int64,
        timeout: Duration = .seconds(20),
        until done: @escaping (BroadcastLogEntry) -> Bool
    ) async -> BroadcastLogEntry? {
        var found: BroadcastLogEntry?
        _ = await eventually(timeout: timeout, every: .milliseconds(100)) {
            found = (try? await self.log())?.first { $0.id == id }
            return found.map(done) ?? false
        }
        return found
    }

    /// Waits until every receiver in `ids` has reported the end of `session` (finished or aborted) on its
    /// events topic. A receiver writes a session's output and journal lines before it reports its end.
    func waitForSessionEnd(_ session: SessionID, of ids: [String], timeout: Duration = .seconds(60)) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(20)) {
            ids.allSatisfy { id in
                self.events(of: id).contains {
                    $0.session == session && ($0.kind == .sessionFinished || $0.kind == .sessionAborted)
                }
            }
        }
    }

    // MARK: The broker

    private func arrivals(on topic: String) -> [Arrival] {
        inbox.withLock { $0.filter { $0.message.topic == topic } }
    }

    private func messages(on topic: String) -> [BusMessage] { arrivals(on: topic).map(\.message) }

    func events(of id: String) -> [ReceiverEvent] {
        messages(on: topics.receiverEvents(id)).compactMap {
            try? JSONDecoder().decode(ReceiverEvent.self, from: Data($0.payload))
        }
    }

    /// Waits for an event of receiver `id` that matches.
    func event(
        of id: String,
        timeout: Duration = .seconds(30),
        where matches: @escaping (ReceiverEvent) -> Bool
    ) async -> ReceiverEvent? {
        var found: ReceiverEvent?
        _ = await eventually(timeout: timeout, every: .milliseconds(20)) {
            found = self.events(of: id).first(where: matches)
            return found != nil
        }
        return found
    }

    /// The alerts the controller published, in arrival order.
    func alerts() -> [ReceiverAlert] {
        messages(on: topics.alerts).compactMap { SignedAlerts.open($0.payload, publicKeyText: key) }
    }

    /// The alerts the controller published, with when each reached the watcher (wall-clock µs).
    func alertArrivals() -> [(alert: ReceiverAlert, at: Int64)] {
        arrivals(on: topics.alerts).compactMap { arrival in
            SignedAlerts.open(arrival.message.payload, publicKeyText: key).map { ($0, arrival.at) }
        }
    }

    func statuses(of id: String) -> [AvailabilityStatus.State] {
        messages(on: topics.receiverStatus(id)).compactMap { try? AvailabilityStatus(decoding: $0.payload).state }
    }

    func telemetry(of id: String) -> [Telemetry] {
        messages(on: topics.receiverTelemetry(id)).compactMap {
            try? JSONDecoder().decode(Telemetry.self, from: Data($0.payload))
        }
    }

    /// Receiver `id`'s telemetry reports that reached the watcher after `instant` (wall-clock µs).
    func telemetry(of id: String, arrivedAfter instant: Int64) -> [Telemetry] {
        arrivals(on: topics.receiverTelemetry(id)).filter { $0.at > instant }
            .compactMap { try? JSONDecoder().decode(Telemetry.self, from: Data($0.message.payload)) }
    }

    /// Waits until every receiver in `ids` has a telemetry report that reached the watcher after `instant`
    /// (a receiver publishes it after everything it did before: proof it has moved past that instant).
    func waitForTelemetry(
        of ids: [String],
        arrivedAfter instant: Int64,
        timeout: Duration = .seconds(15)
    ) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(50)) {
            ids.allSatisfy { !self.telemetry(of: $0, arrivedAfter: instant).isEmpty }
        }
    }

    /// A command seen on a command topic: the payload as sent, and the command inside if it can be read.
    struct SeenCommand: Sendable {
        let topic: String
        let payload: [UInt8]
        let command: ControlCommand?
    }

    /// Every command published on the site's command topics, in arrival order (forged ones too).
    func commands() -> [SeenCommand] {
        let prefix = "\(topics.root)/cmd/"
        return inbox.withLock { $0.filter { $0.message.topic.hasPrefix(prefix) } }.map(\.message).map { message in
            let envelope = try? JSONDecoder().decode(SignedEnvelope.self, from: Data(message.payload))
            let command = envelope?.command.flatMap { Data(base64Encoded: $0) }.flatMap {
                try? JSONDecoder().decode(ControlCommand.self, from: $0)
            }
            return SeenCommand(topic: message.topic, payload: message.payload, command: command)
        }
    }

    /// Waits for the first command that matches.
    func command(
        timeout: Duration = .seconds(20),
        where matches: @escaping (ControlCommand) -> Bool
    ) async -> SeenCommand? {
        var found: SeenCommand?
        _ = await eventually(timeout: timeout, every: .milliseconds(20)) {
            found = self.commands().first { $0.command.map(matches) ?? false }
            return found != nil
        }
        return found
    }

    /// Publishes raw bytes with the controller's broker account (``insider``): past the broker's ACLs, so what is
    /// tested is the receivers' own checks.
    func publish(_ payload: [UInt8], on topic: String, delivery: DeliveryGuarantee = .atLeastOnce) throws {
        try insider.publish(BusMessage(topic: topic, payload: payload, delivery: delivery))
    }

    // MARK: The files

    /// What receiver (or gateway) output file `path` holds, once its process closed it: samples in −1…1.
    static func samples(_ path: String) throws -> [Float] {
        try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: path))).samples.map { Float($0) / 32_768 }
    }

    /// A playout journal's lines while its process may still be appending to it: nil while a line is half
    /// written.
    static func journalSoFar(_ path: String) -> [PlayoutJournalEntry]? { try? journal(path) }

    /// A playout journal's lines.
    static func journal(_ path: String) throws -> [PlayoutJournalEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            try JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8))
        }
    }

    /// Wall-clock µs, the protocol's time base.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }

    static func microseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
}
