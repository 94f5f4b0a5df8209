import LoaCore
import LoaMQTT
import Logging
import Synchronization

/// One loudspeaker cluster on the broker: the receiver side of docs/protocol.md. (Not `Receiver`: LoaCore
/// already names the inventory entry so.)
///
/// It announces itself (`online` birth, `offline` will, both retained), listens on its six topics, obeys
/// only commands that pass ``CommandGate`` (remembering the highest `seq` across restarts), verifies every
/// audio message before buffering it, hands sessions to its ``AudioOutput``, and reports events and telemetry.
///
/// Every message is handled by one task in arrival order, so a `stop` can never overtake the audio before it.
/// Events from every source (commands, the playout thread) go out through one ordered stream.
public final class ReceiverRuntime: Sendable {
    public let identity: ReceiverIdentity
    let topics: TopicTree
    let client: MQTTClient
    let gate: CommandGate
    let checker: any SignatureChecking
    /// The controller key it trusts, which `{root}/controller/key` moves on (``checker`` checks with it).
    let trustedKey: TrustedControllerKey
    let store: ReceiverStateStore
    let output: any AudioOutput
    let dropHook: AudioDropHook?
    /// A deliberate fault (`--test-fault`), for the conformance kit's tests; nil in every real receiver.
    let fault: ReceiverFault?
    let journal: PlayoutJournal?
    let telemetryInterval: Duration
    let housekeepingInterval: Duration
    /// Simulated receivers spread their first telemetry over the interval instead of all at once.
    let staggersTelemetry: Bool
    let logger: Logger
    /// The time base of every command check and presentation time: the one system wall clock (shifted only
    /// when simulating a wrong clock).
    let clock: SystemWallClock
    /// What telemetry says of that clock's offset.
    let clockOffset: ClockOffsetEstimator
    /// Drawn at start and named in every status message, so the controller can tell two devices on one id.
    let instance: String
    let notices: AsyncStream<OutputNotice>
    let noticesContinuation: OutputNotices
    let startedAt = ContinuousClock.now
    let counters = Mutex(ReceiverStatistics())
    /// Bounds the `command.rejected` reports a flood of forged commands can cause.
    let rejectionReports = Mutex(RejectionReportBudget())
    /// The command and audio channels (topic tails) this receiver accepts.
    let channels: Set<String>

    /// Builds the receiver; nothing connects until ``run()``.
    /// - Parameter makeOutput: creates the output, given the stream its notices go to.
    init(
        identity: ReceiverIdentity,
        topics: TopicTree,
        mqtt: MQTTConfiguration,
        checker: any SignatureChecking,
        trustedKey: TrustedControllerKey,
        store: ReceiverStateStore,
        makeOutput: (OutputNotices) throws(ReceiverStartupError) -> any AudioOutput,
        dropHook: AudioDropHook?,
        fault: ReceiverFault? = nil,
        journal: PlayoutJournal?,
        telemetryInterval: Duration,
        housekeepingInterval: Duration,
        staggersTelemetry: Bool,
        instance: String,
        clock: SystemWallClock = SystemWallClock(),
        logger: Logger
    ) throws(ReceiverStartupError) {
        var logger = logger
        logger[metadataKey: "receiver.id"] = "\(identity.id)"
        self.identity = identity
        self.topics = topics
        self.checker = checker
        self.trustedKey = trustedKey
        self.gate = CommandGate(site: topics.site, checker: checker)
        self.store = store
        self.dropHook = dropHook
        self.fault = fault
        self.journal = journal
        self.telemetryInterval = telemetryInterval
        self.housekeepingInterval = housekeepingInterval
        self.staggersTelemetry = staggersTelemetry
        self.instance = instance
        self.clock = clock
        self.clockOffset = ClockOffsetEstimator(shiftMicroseconds: clock.offsetMicroseconds)
        self.logger = logger
        self.channels = Set(TopicTree.channels(receiver: identity.id, zone: identity.zone).map(\.tail))
        (notices, noticesContinuation) = AsyncStream.makeStream(of: OutputNotice.self, bufferingPolicy: .unbounded)
        do {
            client = try MQTTClient(configuration: mqtt, logger: logger)
        } catch {
            throw ReceiverStartupError(
                description: "MQTT client for \(identity.id): \(error)",
                exitCode: Sysexits.config
            )
        }
        output = try makeOutput(noticesContinuation)
    }

    /// What this receiver has counted since it started.
    public var statistics: ReceiverStatistics {
        let status = output.status
        var statistics = counters.withLock { $0 }
        statistics.underruns = status.counts.underruns
        statistics.lateFrames = status.counts.lateFrames
        statistics.concealed = status.counts.concealed
        statistics.playedPackets = status.counts.played
        return statistics
    }

    /// The MQTT status messages: `online` as the birth, `offline` as the will and the goodbye.
    static func status(_ state: AvailabilityStatus.State, topic: String, instance: String) -> BusMessage {
        BusMessage(
            topic: topic,
            payload: AvailabilityStatus(state: state, version: LoaVersion.current, instance: instance).encoded(),
            delivery: .atLeastOnce,
            retain: true
        )
    }

    // MARK: Running

    /// Connects and serves until the task is cancelled, then says `offline`, disconnects cleanly and stops
    /// the output.
    public func run() async {
        do {
            for channel in TopicTree.channels(receiver: identity.id, zone: identity.zone) {
                try client.subscribe(to: topics.commands(channel), delivery: .atLeastOnce)
                try client.subscribe(to: topics.audio(channel), delivery: .atLeastOnce)
            }
            try client.subscribe(to: topics.controllerKey, delivery: .atLeastOnce)
            try client.start()
        } catch {
            logger.error("receiver.mqtt.failed", metadata: ["error": "\(error)"])
            return
        }
        logger.info("receiver.started", metadata: ["receiver.zone": "\(identity.zone)"])
        // The output's notices (events, journal lines) are forwarded until the output has shut down and the
        // last of them is out, even when the receiver is stopped by cancellation: a cancelled iterator would
        // drop what is still queued, such as the event of a session cut by the stop itself.
        let forwarding = Task { await self.forwardNotices() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.consumeMessages() }
            group.addTask { await self.publishTelemetry() }
            group.addTask { await self.houseKeep() }
            await group.next()
            group.cancelAll()
        }
        let (output, client, offline) = (
            output, client, Self.status(.offline, topic: topics.receiverStatus(identity.id), instance: instance)
        )
        await BlockingCall.run { output.shutdown() }
        noticesContinuation.finish()
        await forwarding.value
        await BlockingCall.run { client.shutdown(publishing: offline) }
        // With the loss hook on, what it dropped, so a loss test can tell its own losses from the machine's.
        logger.info(
            "receiver.stopped",
            metadata: dropHook.map { ["audio.dropped-by-test-hook": "\($0.dropped)"] } ?? [:]
        )
    }

    private func consumeMessages() async {
        for await message in client.messages {
            if message.topic == topics.controllerKey {
                handleKeyRotation(message.payload)
            } else if let tail = topics.tail(of: message.topic, kind: "audio") {
                guard channels.contains(tail) else { continue }
                handleAudio(message.payload, channel: tail)
            } else if let tail = topics.tail(of: message.topic, kind: "cmd") {
                guard channels.contains(tail) else { continue }
                handleCommand(message.payload, channel: tail, topic: message.topic)
            }
        }
    }

    // MARK: Commands

    private func handleCommand(_ payload: [UInt8], channel: String, topic: String) {
        let now = clock.nowMicroseconds()
        let lastSequence = fault == .ignoreSequence ? Int64.min : store.lastSequence
        switch gate.admit(payload, channel: channel, now: now, lastSequence: lastSequence) {
        case .failure(let rejection):
            let seq = SignedEnvelope.readableSequence(payload)
            // A stale command's signature was checked before its age, so its `ts` is the controller's own; one
            // never obeyed (its seq is new) is a command sent now to a wrong clock, or delivered late, not a replay.
            if rejection == .stale, let seq, seq > store.lastSequence,
                let ts = SignedEnvelope.readableTimestamp(payload)
            {
                clockOffset.noteCommand(timestamp: ts, receivedAt: now)
            }
            counters.withLock {
                $0.commandsRejected += 1
                $0.lastError = "command rejected: \(rejection.rawValue)"
            }
            let (report, leftOut) = rejectionReports.withLock { $0.take(at: .now) }
            guard report else { return }
            logger.warning(
                "receiver.command.rejected",
                metadata: [
                    "command.reason": "\(rejection.rawValue)", "command.seq": "\(seq.map(String.init) ?? "-")",
                    "mqtt.topic": "\(topic)", "command.rejections-not-reported": "\(leftOut)",
                ]
            )
            noticesContinuation.yield(
                .event(
                    ReceiverEvent(
                        kind: .commandRejected,
                        at: now,
                        seq: seq,
                        reason: rejection.rawValue,
                        detail: leftOut > 0 ? "\(leftOut) earlier rejections not reported" : nil,
                        lastSeq: rejection == .replayed ? store.lastSequence : nil
                    )
                )
            )
        case .success(let command):
            clockOffset.noteCommand(timestamp: command.ts, receivedAt: now)
            do {
                try store.recordSequence(command.seq)
            } catch {
                // Obeyed anyway: the command is authentic and fresh; only a restart within its 30 s could replay it.
                logger.error("receiver.state.write-failed", metadata: ["error": "\(error)"])
                counters.withLock { $0.lastError = "state dir: \(error)" }
            }
            counters.withLock { $0.commandsAccepted += 1 }
            logger.info(
                "receiver.command.accepted",
                metadata: ["command.seq": "\(command.seq)", "command.cmd": "\(command.cmd.rawValue)"]
            )
            // The session of a play or a one-session stop, so the controller can file the ack per broadcast.
            let session = command.play?.session ?? command.stop.flatMap { SessionID(text: $0.session) }
            noticesContinuation.yield(
                .event(
                    ReceiverEvent(
                        kind: .commandAccepted,
                        at: now,
                        session: session,
                        seq: command.seq,
                        cmd: command.cmd
                    )
                )
            )
            obey(command, now: now)
        }
    }

    private func obey(_ command: ControlCommand, now: Int64) {
        switch command.cmd {
        case .play:
            if let play = command.play { output.announce(play, now: now) }
        case .stop:
            if let stop = command.stop { output.stop(stop.session, now: now) }
        case .volume:
            guard let level = command.volume?.level else { return }
            do { try store.recordVolume(level) } catch {
                logger.error("receiver.state.write-failed", metadata: ["error": "\(error)"])
            }
            output.setVolume(level)
        }
    }

    // MARK: Key rotation

    /// The retained chain on `{root}/controller/key`: adopts (and keeps) the rotations signed by the trusted key.
    /// Anything else on the topic changes nothing.
    private func handleKeyRotation(_ payload: [UInt8]) {
        do {
            for rotation in try trustedKey.adopt(payload) {
                logger.notice(
                    "receiver.controller-key.rotated",
                    metadata: ["key.seq": "\(rotation.seq)", "key.public": "\(rotation.key)"]
                )
            }
        } catch {
            // Not adopted: a key that could not be kept would be forgotten at the next restart.
            logger.error("receiver.state.write-failed", metadata: ["error": "\(error)"])
            counters.withLock { $0.lastError = "state dir: \(error)" }
        }
    }

    // MARK: Audio

    private func handleAudio(_ payload: [UInt8], channel: String) {
        counters.withLock { $0.audioMessages += 1 }
        if let dropHook, dropHook.shouldDrop() {
            counters.withLock { $0.droppedByTestHook += 1 }
            return
        }
        var message: AudioMessage
        do {
            message = try AudioMessage(decoding: payload, checker: checker)
        } catch {
            let rejected = counters.withLock {
                $0.rejectedFrames += 1
                $0.lastError = "audio message rejected: \(error)"
                return $0.rejectedFrames
            }
            if rejected == 1 || rejected % 100 == 0 {
                logger.warning(
                    "receiver.audio.rejected",
                    metadata: ["audio.reason": "\(error)", "audio.rejected": "\(rejected)"]
                )
            }
            return
        }
        guard message.codec == .opus, Int(message.channels) == StreamFormat.channels,
            Int(message.sampleRate) == StreamFormat.sampleRate,
            [120, 240, 480, 960, 1_920, 2_880].contains(Int(message.samplesPerPacket))
        else {
            counters.withLock {
                $0.rejectedFrames += 1
                $0.lastError = "audio message in an unsupported format"
            }
            return
        }
        // Signed for this site and this topic, and for the channel its session was announced on: a stream copied
        // from another hamlet's topic, or another site, plays nowhere.
        switch fault {
        case .acceptReAimed: message = message.on(channel: channel)
        case .trimPreSkip: message.presentationTime -= ReceiverFault.preSkipMicroseconds
        default: break
        }
        guard message.site == topics.site, message.channel == channel else {
            refuseWrongTarget(message, channel: channel)
            return
        }
        let outcome = output.receive(message, now: clock.nowMicroseconds())
        if outcome == .wrongChannel {
            refuseWrongTarget(message, channel: channel)
        } else if outcome == .late {
            logger.debug(
                "receiver.audio.late",
                metadata: ["session.id": "\(message.session)", "audio.sequence": "\(message.sequence)"]
            )
        }
    }

    private func refuseWrongTarget(_ message: AudioMessage, channel: String) {
        let refused = counters.withLock {
            $0.rejectedFrames += 1
            $0.wrongTargetFrames += 1
            $0.lastError = "audio message rejected: wrong-target"
            return $0.wrongTargetFrames
        }
        if refused == 1 || refused % 100 == 0 {
            logger.warning(
                "receiver.audio.rejected",
                metadata: [
                    "audio.reason": "wrong-target", "audio.rejected": "\(refused)", "session.id": "\(message.session)",
                    "audio.channel": "\(channel)", "audio.signed-channel": "\(message.site)/\(message.channel)",
                ]
            )
        }
    }

    // MARK: Reports

    private func forwardNotices() async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let eventsTopic = topics.receiverEvents(identity.id)
        for await notice in notices {
            switch notice {
            case .journal(let entry):
                journal?.append(entry)
            case .event(let event):
                counters.withLock {
                    switch event.kind {
                    case .sessionStarted: $0.sessionsStarted += 1
                    case .sessionFinished: $0.sessionsFinished += 1
                    case .sessionAborted: $0.sessionsAborted += 1
                    default: break
                    }
                }
                if event.kind != .commandAccepted && event.kind != .commandRejected {
                    logger.info(
                        "receiver.\(event.kind.rawValue)",
                        metadata: [
                            "session.id": "\(event.session.map(\.description) ?? "-")", "event.at": "\(event.at)",
                            "event.reason": "\(event.reason ?? "-")",
                        ]
                    )
                }
                guard let payload = try? encoder.encode(event) else { continue }
                try? client.publish(BusMessage(topic: eventsTopic, payload: Array(payload), delivery: .atLeastOnce))
            }
        }
    }

    /// Telemetry every interval, QoS 0, stamped with `at` so the controller can judge this clock from every
    /// report. `clockOffsetMs` is the ``ClockOffsetEstimator``'s, absent when it does not know.
    private func publishTelemetry() async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let topic = topics.receiverTelemetry(identity.id)
        let seconds = max(1, Int(telemetryInterval.components.seconds))
        // The first report soon after connecting (spread over the interval when simulating many).
        _ = await client.waitUntilConnected(timeout: .seconds(30))
        let first: Duration = staggersTelemetry ? .milliseconds(Int.random(in: 0..<(seconds * 1_000))) : .zero
        do { try await Task.sleep(for: first) } catch { return }
        while !Task.isCancelled {
            let status = output.status
            let lastError = counters.withLock { $0.lastError } ?? status.lastError
            let telemetry = Telemetry(
                interval: seconds,
                uptime: Int(startedAt.duration(to: .now).components.seconds),
                firmware: "loa-receiver \(LoaVersion.current)",
                volume: store.volume,
                amplifier: "ok",
                clockOffsetMs: clockOffset.offsetMs(),
                underruns: status.counts.underruns,
                lateFrames: status.counts.lateFrames,
                lastError: lastError,
                playing: status.playing,
                lastSeq: store.lastSequence > 0 ? store.lastSequence : nil,
                at: clock.nowMicroseconds()
            )
            if let payload = try? encoder.encode(telemetry) {
                try? client.publish(BusMessage(topic: topic, payload: Array(payload), delivery: .atMostOnce))
            }
            do { try await Task.sleep(for: telemetryInterval) } catch { return }
        }
    }

    /// Lets a virtual output play what is due even when no message arrives (the end of a session), and
    /// forgets sessions that never started.
    private func houseKeep() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: housekeepingInterval) } catch { return }
            output.advance(now: clock.nowMicroseconds())
        }
    }
}
