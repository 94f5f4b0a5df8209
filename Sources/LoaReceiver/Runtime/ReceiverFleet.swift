import LoaALSA
import LoaConfiguration
import LoaCore
import LoaMQTT
import Logging
import UnixSignals

/// The composition root of `loa receiver`: one receiver, or the N of `--simulate N` in one process, built
/// from a ``ReceiverConfiguration`` and run until SIGTERM or SIGINT (or, in tests, until cancelled).
///
/// Building does every check that can fail on bad input (state dir, audio device, broker credentials), so
/// nothing connects when something is wrong.
///
/// Simulated receivers are as real as the broker sees them (one MQTT connection each, so the broker's
/// fan-out is the real one), but they share what a process can share honestly: signature verdicts for
/// byte-identical messages (``CachingSignatureChecker``) and packet decoding (``SharedPacketDecoder``),
/// and they play in virtual time unless `--output-dir` asks for paced WAV files.
public final class ReceiverFleet: Sendable {
    public let receivers: [ReceiverRuntime]
    let journal: PlayoutJournal?
    let logger: Logger
    let isSimulation: Bool
    let telemetryInterval: Duration
    let checker: CachingSignatureChecker?
    /// The controller key every receiver of the process trusts, moved on by rotations.
    let trustedKey: TrustedControllerKey
    let decoder: SharedPacketDecoder?

    public init(configuration: ReceiverConfiguration, logger: Logger) throws(ReceiverStartupError) {
        self.logger = logger
        self.isSimulation = configuration.isSimulation
        self.telemetryInterval = configuration.telemetryInterval
        PCMDevice.setDiagnostics(for: logger)
        let topics: TopicTree
        do { topics = try TopicTree(site: configuration.site) } catch {
            throw ReceiverStartupError(description: error.description, exitCode: Sysexits.usage)
        }
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ReceiverStartupError(
                description:
                    "state dir '\(configuration.stateDirectory)' cannot be created (\(error.fileProblem)); pick another with --state-dir",
                exitCode: Sysexits.config
            )
        }
        if let path = configuration.playoutJournal {
            do { journal = try PlayoutJournal(path: path, logger: logger) } catch {
                throw ReceiverStartupError(
                    description:
                        "playout-journal '\(path)' cannot be opened for appending; check that its directory exists and is writable",
                    exitCode: Sysexits.config
                )
            }
        } else {
            journal = nil
        }
        if case .files(let directory) = configuration.output {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw ReceiverStartupError(
                    description: "output-dir '\(directory)' cannot be created",
                    exitCode: Sysexits.config
                )
            }
        }
        // One trusted key for the process: simulated receivers follow a rotation together, kept in the fleet's
        // state dir (a real receiver's own).
        let trustedKey = TrustedControllerKey(
            configured: configuration.controllerKey,
            site: configuration.site,
            stateDirectory: configuration.stateDirectory
        )
        self.trustedKey = trustedKey
        let checker = configuration.isSimulation ? CachingSignatureChecker(trustedKey) : nil
        let decoder = configuration.isSimulation && configuration.output == .none ? SharedPacketDecoder() : nil
        self.checker = checker
        self.decoder = decoder
        let password = try Self.password(configuration.credentials)
        var tls: MQTTConfiguration.TLS?
        guard case .remote(let host, let port, let usesTLS) = configuration.broker else {
            throw ReceiverStartupError(
                description: "broker must be mqtt://HOST:PORT or mqtts://HOST:PORT",
                exitCode: Sysexits.usage
            )
        }
        if usesTLS {
            var caFile = configuration.credentials.caFile
            if caFile == nil { caFile = try Self.enrollmentCA(configuration) }
            guard let ca = caFile else {
                throw ReceiverStartupError(
                    description: "broker \(configuration.broker) uses TLS but the config file sets no mqtt.ca-file",
                    exitCode: Sysexits.config
                )
            }
            tls = .init(
                caFile: ca,
                certificateFile: configuration.credentials.certificateFile,
                keyFile: configuration.credentials.keyFile
            )
        }

        var receivers: [ReceiverRuntime] = []
        for identity in configuration.receivers {
            let stateDirectory =
                configuration.isSimulation
                ? "\(configuration.stateDirectory)/\(identity.id)" : configuration.stateDirectory
            let store: ReceiverStateStore
            do { store = try ReceiverStateStore(directory: stateDirectory) } catch {
                throw ReceiverStartupError(
                    description:
                        "state dir '\(stateDirectory)' cannot be written (\(error.fileProblem)); pick another with --state-dir",
                    exitCode: Sysexits.config
                )
            }
            let statusTopic = topics.receiverStatus(identity.id)
            let instance = AvailabilityStatus.newInstance()
            let clock = SystemWallClock(offsetMicroseconds: configuration.simulatedClockOffsetMicroseconds)
            let mqtt = MQTTConfiguration(
                host: host,
                port: port,
                clientID: "loa-rx-\(configuration.site)-\(identity.id)",
                keepAlive: configuration.keepAlive,
                username: configuration.enrollments[identity.id]?.username ?? configuration.credentials.username,
                password: configuration.enrollments[identity.id]?.password ?? password,
                tls: tls,
                birth: ReceiverRuntime.status(.online, topic: statusTopic, instance: instance),
                will: ReceiverRuntime.status(.offline, topic: statusTopic, instance: instance),
                reconnect: configuration.reconnect,
                inbound: .receiver(topics)
            )
            let dropHook =
                configuration.audioDropFraction > 0
                ? AudioDropHook(
                    fraction: configuration.audioDropFraction,
                    seed: configuration.audioDropSeed,
                    receiver: identity.id
                )
                : nil
            let output = configuration.output
            let maximumConcealment = configuration.maximumConcealment
            let journals = journal != nil
            receivers.append(
                try ReceiverRuntime(
                    identity: identity,
                    topics: topics,
                    mqtt: mqtt,
                    checker: checker ?? trustedKey,
                    trustedKey: trustedKey,
                    store: store,
                    makeOutput: { notices throws(ReceiverStartupError) in
                        try Self.makeOutput(
                            output,
                            identity: identity,
                            volume: store.volume,
                            decoder: decoder,
                            maximumConcealment: maximumConcealment,
                            journals: journals,
                            notices: notices,
                            clock: clock,
                            logger: logger
                        )
                    },
                    dropHook: dropHook,
                    fault: configuration.fault,
                    journal: journal,
                    telemetryInterval: configuration.telemetryInterval,
                    housekeepingInterval: Self.housekeepingInterval(
                        for: output,
                        simulation: configuration.isSimulation
                    ),
                    staggersTelemetry: configuration.isSimulation,
                    instance: instance,
                    clock: clock,
                    logger: logger
                )
            )
        }
        self.receivers = receivers
    }

    /// Runs every receiver until the task is cancelled; each then says `offline` and disconnects cleanly.
    public func runReceivers() async {
        await withTaskGroup(of: Void.self) { group in
            for receiver in receivers {
                group.addTask { await receiver.run() }
            }
            if isSimulation {
                group.addTask { await self.reportSimulation() }
            }
        }
        if isSimulation { logSummary("simulation.finished") }
        journal?.close()
    }

    /// Runs until SIGTERM or SIGINT, then stops cleanly: each receiver says it is offline and leaves the broker,
    /// and each output closes. Only the signals are trapped, not a whole service group, so a receiver's board
    /// carries no service-lifecycle machinery (issue 19).
    public func runUntilSignalled() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runReceivers() }
            group.addTask {
                for await _ in signals { return }
            }
            // Whichever ends first (a signal, or a simulation that finished) ends the other.
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: Building

    static func makeOutput(
        _ output: ReceiverOutput,
        identity: ReceiverIdentity,
        volume: Int,
        decoder: SharedPacketDecoder?,
        maximumConcealment: Duration,
        journals: Bool = false,
        notices: OutputNotices,
        clock: SystemWallClock = SystemWallClock(),
        logger: Logger
    ) throws(ReceiverStartupError) -> any AudioOutput {
        let concealment =
            maximumConcealment.components.seconds * 1_000_000
            + maximumConcealment.components.attoseconds / 1_000_000_000_000
        let name: String
        switch output {
        case .none:
            return VirtualOutput(
                volume: volume,
                sharedDecoder: decoder,
                maximumConcealment: concealment,
                notices: notices
            )
        case .device(let device):
            name = device
        case .files(let directory):
            name = "file:'\(directory)/\(identity.id).wav',wav"
        }
        do {
            var logger = logger
            logger[metadataKey: "receiver.id"] = "\(identity.id)"
            return try PacedOutput.open(
                name: name,
                player: identity.id,
                journals: journals,
                volume: volume,
                maximumConcealment: concealment,
                notices: notices,
                clock: clock,
                logger: logger
            )
        } catch {
            throw ReceiverStartupError(
                description:
                    "audio-device '\(name)' cannot be opened (\(error)); pick another with --audio-device, or none",
                exitCode: Sysexits.unavailable
            )
        }
    }

    static func housekeepingInterval(for output: ReceiverOutput, simulation: Bool) -> Duration {
        switch output {
        case .none: simulation ? .milliseconds(250) : .milliseconds(50)
        default: .seconds(1)
        }
    }

    /// The enrollment's CA, written into the state dir for libmosquitto (which reads it from a file); nil
    /// without an enrollment.
    static func enrollmentCA(_ configuration: ReceiverConfiguration) throws(ReceiverStartupError) -> String? {
        guard let ca = configuration.enrollments.values.first?.ca else { return nil }
        let path = "\(configuration.stateDirectory)/enrollment-ca.pem"
        do { try ca.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ReceiverStartupError(
                description: "cannot write the enrollment's CA to \(path); check that the state dir is writable",
                exitCode: Sysexits.config
            )
        }
        return path
    }

    static func password(_ credentials: BrokerCredentials) throws(ReceiverStartupError) -> String? {
        do { return try credentials.readPassword() } catch {
            throw ReceiverStartupError(description: error.description, exitCode: Sysexits.config)
        }
    }

    // MARK: Simulation reports

    private func reportSimulation() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: telemetryInterval) } catch { return }
            logSummary("simulation.summary")
        }
    }

    /// One line with the fleet's totals, for the fan-out benchmark (at notice, so it shows when a thousand
    /// receivers' info lines are silenced).
    func logSummary(_ label: Logger.Message) {
        var total = ReceiverStatistics()
        for receiver in receivers {
            let statistics = receiver.statistics
            total.audioMessages += statistics.audioMessages
            total.rejectedFrames += statistics.rejectedFrames
            total.wrongTargetFrames += statistics.wrongTargetFrames
            total.droppedByTestHook += statistics.droppedByTestHook
            total.underruns += statistics.underruns
            total.lateFrames += statistics.lateFrames
            total.concealed += statistics.concealed
            total.playedPackets += statistics.playedPackets
            total.sessionsStarted += statistics.sessionsStarted
            total.sessionsFinished += statistics.sessionsFinished
            total.sessionsAborted += statistics.sessionsAborted
        }
        logger.notice(
            label,
            metadata: [
                "simulation.receivers": "\(receivers.count)", "simulation.audio_messages": "\(total.audioMessages)",
                "simulation.rejected_frames": "\(total.rejectedFrames)",
                "simulation.wrong_target_frames": "\(total.wrongTargetFrames)",
                "simulation.dropped_by_hook": "\(total.droppedByTestHook)",
                "simulation.underruns": "\(total.underruns)",
                "simulation.late_frames": "\(total.lateFrames)", "simulation.concealed": "\(total.concealed)",
                "simulation.played_packets": "\(total.playedPackets)",
                "simulation.sessions_started": "\(total.sessionsStarted)",
                "simulation.sessions_finished": "\(total.sessionsFinished)",
                "simulation.sessions_aborted": "\(total.sessionsAborted)",
                "simulation.signatures_verified": "\(checker?.verifiedSignatures ?? 0)",
                "simulation.packets_decoded": "\(decoder?.decodedPackets ?? 0)",
            ]
        )
    }
}
