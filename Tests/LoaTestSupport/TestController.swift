import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import Synchronization

/// A controller for receiver tests, built from the protocol's core types: it signs commands with its own
/// Ed25519 key, streams a ``TestClip`` as paced, signed audio messages (100 ms each, as the real controller
/// sends them), and records everything receivers publish (status, events, telemetry).
///
/// Also publishes what a real controller never would (unsigned or forged commands, forged audio) so tests can
/// check that receivers refuse it.
public final class TestController: Sendable {
    public let key: SigningKey
    public let topics: TopicTree
    public let client: MQTTClient
    private let sequence = Mutex<Int64>(0)
    private let inbox = Inbox()
    private let recorder: Task<Void, Never>

    /// Everything receivers published, in arrival order.
    private final class Inbox: Sendable {
        let messages = Mutex<[BusMessage]>([])
        var all: [BusMessage] { messages.withLock { $0 } }
    }

    /// Packets per audio message: 100 ms.
    public static let packetsPerMessage = StreamFormat.packetsPerMessage

    /// Connects to `broker` and subscribes to every receiver's status, events and telemetry.
    public init(broker: MosquittoBroker, site: String, key: SigningKey? = nil) async throws {
        self.key = try key ?? Self.makeKey()
        topics = try TopicTree(site: site)
        client = try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1",
                port: broker.port,
                clientID: "test-controller-\(UUID().uuidString.prefix(8))",
                reconnect: Backoff(initial: .milliseconds(100), maximum: .seconds(1))
            ),
            logger: TestBroker.logger("loa.test.controller")
        )
        try client.subscribe(to: topics.allReceivers, delivery: .atLeastOnce)
        try client.start()
        let (client, inbox) = (client, inbox)
        recorder = Task {
            for await message in client.messages { inbox.messages.withLock { $0.append(message) } }
        }
        guard await client.waitUntilConnected(timeout: .seconds(20)) else {
            // What the link last said, and whether the broker is still up: a failure here must say why.
            let why =
                "state \(client.connectionState), last error \(client.lastError.map { "\($0)" } ?? "none"), "
                + "broker running: \(broker.isRunning)"
            client.shutdown()
            throw TimedOut(
                what: "the test controller connecting to 127.0.0.1:\(broker.port) (\(why))",
                after: .seconds(20)
            )
        }
    }

    deinit { recorder.cancel() }

    /// A fresh Ed25519 key in a temporary file.
    public static func makeKey() throws -> SigningKey {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-key")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try SigningKey.loadOrCreate(at: "\(directory)/controller.key")
    }

    /// The public key as `loa key show` prints it, for `--controller-key`.
    public var publicKeyText: String { key.publicKeyText }

    public func shutdown() {
        recorder.cancel()
        client.shutdown()
    }

    // MARK: Commands

    /// The next command sequence number.
    public func nextSequence() -> Int64 {
        sequence.withLock {
            $0 += 1
            return $0
        }
    }

    /// Signs `command` (with `signer`, the controller's key by default) and publishes it on its target's topic.
    public func send(_ command: ControlCommand, signer: (any MessageSigning)? = nil) throws {
        let payload = try SignedEnvelope.seal(command, with: signer ?? key)
        try publishCommand(payload, to: TopicTree.Channel(tail: command.to) ?? .all)
    }

    /// Publishes raw bytes on a command topic (for unsigned or malformed commands).
    public func publishCommand(_ payload: [UInt8], to channel: TopicTree.Channel) throws {
        try client.publish(BusMessage(topic: topics.commands(channel), payload: payload, delivery: .atLeastOnce))
    }

    /// A signed `play` command; returns it.
    @discardableResult
    public func play(
        _ session: SessionID,
        on channel: TopicTree.Channel,
        to target: TopicTree.Channel = .all,
        start: Int64,
        priority: Priority = .normal,
        durationMs: Int? = nil,
        volume: Int? = nil,
        seq: Int64? = nil,
        ts: Int64? = nil
    ) throws -> ControlCommand {
        let command = ControlCommand(
            site: topics.site,
            to: target,
            seq: seq ?? nextSequence(),
            ts: ts ?? Self.now(),
            play: .init(
                session: session,
                channel: channel.tail,
                start: start,
                priority: priority,
                title: "test",
                volume: volume,
                durationMs: durationMs
            )
        )
        try send(command)
        return command
    }

    /// A signed `stop` command for `session` (`*` for all).
    @discardableResult
    public func stop(_ session: String, to target: TopicTree.Channel = .all) throws -> ControlCommand {
        let command = ControlCommand(
            site: topics.site,
            to: target,
            seq: nextSequence(),
            ts: Self.now(),
            stop: .init(session: session)
        )
        try send(command)
        return command
    }

    /// A signed `volume` command.
    @discardableResult
    public func volume(
        _ level: Int,
        to target: TopicTree.Channel = .all,
        seq: Int64? = nil,
        ts: Int64? = nil
    ) throws
        -> ControlCommand
    {
        let command = ControlCommand(
            site: topics.site,
            to: target,
            seq: seq ?? nextSequence(),
            ts: ts ?? Self.now(),
            volume: .init(level: level)
        )
        try send(command)
        return command
    }

    // MARK: Audio

    /// The audio messages of `clip` for one session: 5 packets each, presentation times from `start`, the
    /// last one flagged, bound to this site and `channel`.
    public func messages(
        _ clip: TestClip,
        session: SessionID,
        start: Int64,
        priority: Priority = .normal,
        channel: TopicTree.Channel = .all
    ) -> [AudioMessage] {
        let per = Self.packetsPerMessage
        let count = (clip.packets.count + per - 1) / per
        return (0..<count).map { index in
            let packets = Array(clip.packets[(index * per)..<min(clip.packets.count, (index + 1) * per)])
            return AudioMessage(
                session: session,
                site: topics.site,
                channel: channel.tail,
                sequence: UInt32(index),
                presentationTime: start + Int64(index * per) * 20_000,
                priority: priority,
                isLast: index == count - 1,
                packets: packets
            )
        }
    }

    /// Streams `clip` on `channel`: each message is published `lead` before its presentation time, paced on
    /// the wall clock, signed with `signer` (the controller's key by default). Returns when the last one is
    /// out. `skipping` sequence numbers are never sent; `until` stops after that many messages. The messages are
    /// signed for `channel`, or for `boundTo` to forge a stream copied from another channel.
    public func stream(
        _ clip: TestClip,
        session: SessionID,
        on channel: TopicTree.Channel,
        start: Int64,
        priority: Priority = .normal,
        lead: Duration = .milliseconds(500),
        signer: (any MessageSigning)? = nil,
        skipping: Set<UInt32> = [],
        until count: Int? = nil,
        boundTo signedChannel: TopicTree.Channel? = nil
    ) async throws {
        let leadMicroseconds = lead.components.seconds * 1_000_000 + lead.components.attoseconds / 1_000_000_000_000
        let messages = messages(
            clip,
            session: session,
            start: start,
            priority: priority,
            channel: signedChannel ?? channel
        )
        for message in messages.prefix(count ?? .max) {
            let sendAt = message.presentationTime - leadMicroseconds
            let wait = sendAt - Self.now()
            if wait > 0 { try await Task.sleep(for: .microseconds(wait)) }
            guard !skipping.contains(message.sequence) else { continue }
            try publishAudio(message, on: channel, signer: signer)
        }
    }

    /// Publishes one signed audio message at QoS 0, bound to whatever site and channel it names.
    public func publishAudio(
        _ message: AudioMessage,
        on channel: TopicTree.Channel,
        signer: (any MessageSigning)? = nil
    )
        throws
    {
        let payload = try message.encoded(signer: signer ?? key)
        try client.publish(BusMessage(topic: topics.audio(channel), payload: payload, delivery: .atMostOnce))
    }

    // MARK: What receivers report

    /// Every event receiver `id` has published so far.
    public func events(of id: String) -> [ReceiverEvent] {
        let topic = topics.receiverEvents(id)
        return inbox.all.filter { $0.topic == topic }.compactMap {
            try? JSONDecoder().decode(ReceiverEvent.self, from: Data($0.payload))
        }
    }

    /// Waits (up to `timeout`) for an event of receiver `id` that matches.
    public func event(
        of id: String,
        timeout: Duration = .seconds(30),
        where matches: @escaping (ReceiverEvent) -> Bool
    ) async -> ReceiverEvent? {
        var found: ReceiverEvent?
        _ = await eventually(timeout: timeout, every: .milliseconds(50)) {
            found = events(of: id).first(where: matches)
            return found != nil
        }
        return found
    }

    /// The availability states receiver `id` has published, in order.
    public func statuses(of id: String) -> [AvailabilityStatus.State] {
        let topic = topics.receiverStatus(id)
        return inbox.all.filter { $0.topic == topic }.compactMap {
            try? AvailabilityStatus(decoding: $0.payload).state
        }
    }

    /// Every telemetry report of receiver `id`.
    public func telemetry(of id: String) -> [Telemetry] {
        let topic = topics.receiverTelemetry(id)
        return inbox.all.filter { $0.topic == topic }.compactMap {
            try? JSONDecoder().decode(Telemetry.self, from: Data($0.payload))
        }
    }

    /// Waits until receiver `id` says `online` (its subscriptions are in place by then).
    public func waitUntilOnline(_ id: String, timeout: Duration = .seconds(30)) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(50)) { statuses(of: id).last == .online }
    }

    /// Wall-clock µs.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}
