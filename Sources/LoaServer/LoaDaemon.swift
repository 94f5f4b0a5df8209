import Foundation
import Hummingbird
import LoaBroker
import LoaConfiguration
import LoaCore
import LoaHTTP
import LoaMQTT
import LoaReceiver
import LoaSecurity
import LoaStore
import Logging
import ServiceLifecycle

/// The composition root of `loa serve`: it builds every adapter from the settings and runs them as one
/// service group. Building does all the checks that can fail on bad input, so nothing is started then.
public struct LoaDaemon: Sendable {
    /// A reason the daemon cannot start, with the sysexits code the CLI exits with.
    public struct StartupError: Error, CustomStringConvertible {
        public let description: String
        public let exitCode: Int32
    }

    let group: ServiceGroup
    let logger: Logger
    /// Held while the daemon runs, so `loa restore` never swaps the state dir under it.
    let lock: StateLock
    let httpAddress: HostPort

    /// - Parameter configs: the commune's `device-configs/`, already checked (`ConfigurationCheck`).
    public init(settings: ServeSettings, configs: DeviceConfigs, logger: Logger) throws(StartupError) {
        MemoryPolicy.apply()
        self.logger = logger
        self.httpAddress = settings.http
        let siteID = settings.site ?? configs.site?.id ?? ServeSettings.defaultSite
        for notice in configs.obsoleteFiles { logger.warning("config.obsolete-file", metadata: ["fix": "\(notice)"]) }
        let topics: TopicTree
        do { topics = try TopicTree(site: siteID) } catch {
            throw StartupError(description: error.description, exitCode: Sysexits.usage)
        }
        let stateDirectory = settings.stateDirectory
        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StartupError(
                description:
                    "state dir '\(stateDirectory)' cannot be created (\(error.localizedDescription)); pick another with --state-dir",
                exitCode: Sysexits.config
            )
        }

        do {
            lock = try StateLock.acquire(directory: stateDirectory)
        } catch let busy as StateLock.Busy {
            throw StartupError(description: busy.description, exitCode: Sysexits.tempFail)
        } catch {
            throw StartupError(
                description: "state dir '\(stateDirectory)' cannot be locked (\(error)); check that it is writable",
                exitCode: Sysexits.config
            )
        }
        // Before SQLite opens anything: it would delete or cut short what the guard must keep.
        let stateGuard = StateGuard(directory: stateDirectory)
        var lostState = try stateGuard.check(acceptingLoss: settings.acceptLostState, logger: logger)
        let database = try Self.openStore(
            stateGuard: stateGuard,
            accepted: &lostState,
            acceptingLoss: settings.acceptLostState,
            logger: logger
        )
        // Made with the store, before anything that a bad setting can stop: a first start that fails later
        // must not leave a store without its key, which the next start would refuse as lost.
        let (signer, sequence) = try Self.openKeyAndSequence(
            stateDirectory: stateDirectory,
            database: database,
            accepted: lostState,
            logger: logger
        )

        var services: [any Service] = []
        let brokerHost: String
        let brokerPort: Int
        let embedded: MosquittoBroker?
        var embeddedSetup: EmbeddedBroker?
        switch settings.broker {
        case .embedded:
            // The ports are remembered in the state dir: a restarted daemon listens where its receivers look.
            let setup = try Self.makeEmbeddedBroker(
                settings: settings,
                stateDirectory: stateDirectory,
                site: siteID,
                logger: logger
            )
            embeddedSetup = setup
            (brokerHost, brokerPort, embedded) = ("127.0.0.1", setup.broker.port, setup.broker)
        case .remote(let host, let port, _):
            (brokerHost, brokerPort, embedded) = (host, port, nil)
        }
        let brokerDescription = embedded.map { "embedded 127.0.0.1:\($0.port)" } ?? settings.broker.description

        let health = DaemonHealth(
            site: siteID,
            brokerDescription: brokerDescription,
            brokerURL: embedded.map { "mqtt://127.0.0.1:\($0.port)" } ?? settings.broker.description,
            storeCheck: { database.checkHealth() }
        )
        let brokerStarted = StartSignal()
        let waitForBroker: @Sendable () async -> Void = { await brokerStarted.wait() }
        if let embedded {
            services.append(
                EmbeddedBrokerService(broker: embedded, health: health, started: brokerStarted, logger: logger)
            )
        }
        if let renewal = embeddedSetup?.renewal { services.append(renewal) }
        let https = try Self.httpsCertificate(
            settings: settings,
            embedded: embeddedSetup,
            stateDirectory: stateDirectory,
            site: siteID,
            logger: logger
        )
        if let renewal = https.renewal { services.append(renewal) }
        services.append(StoreService(database: database, logger: logger))

        let controllerAccount = BrokerAccount.controller(topics)
        let client = try Self.makeClient(
            settings: settings,
            host: brokerHost,
            port: brokerPort,
            topics: topics,
            embeddedAccount: embeddedSetup.map { (controllerAccount.name, $0.controllerSecret.password) },
            logger: logger
        )
        let clock = SystemWallClock()
        let startedAt = clock.now()
        // The one signer of commands, audio and alerts, which `loa key rotate` replaces in place.
        let keyring = try ControllerKeyring(
            directory: stateDirectory,
            key: signer,
            topics: topics,
            bus: client,
            clock: clock,
            logger: logger.with(label: "key")
        )
        let (importer, renderer) = try Self.makeAudio(stateDirectory: stateDirectory, logger: logger)
        let journal: PlayoutJournal?
        do {
            journal = try settings.playoutJournal.map {
                try PlayoutJournal(path: $0, logger: logger.with(label: "journal"))
            }
        } catch {
            throw StartupError(description: "\(error)", exitCode: Sysexits.config)
        }
        let audio = LocalAudioService(
            choice: settings.audioDevice,
            stateDirectory: stateDirectory,
            health: health,
            journal: journal,
            logger: logger
        )
        services.append(audio)
        let monitor = ReceiverMonitorService.make(
            configs: configs,
            topics: topics,
            bus: client,
            database: database,
            health: health,
            clock: clock,
            signer: keyring,
            logger: logger
        )
        let starts = BroadcastStarts()
        let audiences = BroadcastAudienceTracker(
            resolve: { [monitor] targets in monitor.audience(of: targets) },
            isDown: { [monitor] id in monitor.isDown(id) },
            alerts: monitor,
            starts: starts,
            clock: clock,
            logger: logger.with(label: "audience")
        )
        let commands = CommandPublisher(bus: client, topics: topics, signer: keyring, sequence: sequence, clock: clock)
        let recovery = SequenceRecovery(topics: topics, commands: commands, logger: logger)
        let onAir = OnAirDirectory(directory: "\(stateDirectory)/on-air", clock: clock, logger: logger)
        services.append(onAir)
        let leases = LiveLeases()
        let streamer = BroadcastStreamer(
            renderer: renderer,
            commands: commands,
            output: audio,
            audiences: audiences,
            lead: settings.streamLead,
            onDemandStart: min(settings.onDemandStart, settings.streamLead),
            logger: logger.with(label: "stream"),
            onAir: onAir,
            sources: Self.streamedSources(
                settings: settings,
                renderer: renderer,
                leases: leases,
                alerts: monitor,
                logger: logger
            )
        )
        let recorder = ReceiverEventRecorder(topics: topics, database: database, audiences: audiences, logger: logger)
        let statusGuard = ControllerStatusGuard(
            topics: topics,
            bus: client,
            birth: AvailabilityStatus(state: .online, version: LoaVersion.current).encoded(),
            logger: logger
        )
        // Stopped after the broker link (services stop in reverse), so it files every report that arrived.
        services.insert(recorder, at: services.count - 1)
        services.insert(
            BrokerConnectionService(
                client: client,
                topics: topics,
                health: health,
                inbound: InboundRouter([monitor, recorder, recovery, statusGuard]),
                brokerStarted: embedded == nil ? nil : waitForBroker,
                logger: logger
            ),
            at: services.count - 1
        )
        services.append(monitor)
        services.append(recovery)
        // After the broker link, so it stops first: the controller's own goodbye is never undone.
        services.append(statusGuard)
        services.append(keyring)
        let scheduler = Scheduler(
            clock: clock,
            log: database,
            player: streamer,
            zones: ZoneResolver(inventory: configs.inventory),
            configuration: .init(
                policy: configs.site?.policy ?? ArbitrationPolicy(),
                resumeWithin: TimeInterval(settings.resumeWithinSeconds)
            ),
            onAir: onAir,
            alerts: monitor,
            audience: audiences,
            beforeResuming: { [monitor] in
                // Receivers retry their broker with backoff; most are back within a few seconds.
                await monitor.waitForReceiversBack(heardSince: startedAt, timeout: .seconds(10))
            },
            onLogged: { [logger, starts, health] entry in
                starts.logged(entry)
                health.broadcastLogged(entry)
                logger.info(
                    "broadcast.\(entry.outcome.rawValue)",
                    metadata: [
                        "broadcast.id": "\(entry.id ?? 0)", "broadcast.title": "\(entry.title)",
                        "broadcast.planned": "\(entry.plannedLocal)",
                    ]
                )
            },
            onLogFailure: { [logger, health, monitor] failure in
                Self.storeWritesChanged(failure: failure, health: health, alerts: monitor, logger: logger)
            },
            // Slots and emergencies never wait behind the API's clients on the cooperative pool.
            executor: DedicatedThreadExecutor(name: "loa-air")
        )
        let book = ScheduleBook(
            database: database,
            scheduler: scheduler,
            commands: commands,
            controllerPublicKey: keyring.publicKeyText,
            clock: clock,
            configs: configs,
            siteID: siteID,
            voices: renderer.voices,
            logger: logger,
            starts: starts,
            keyring: keyring,
            leases: leases,
            measure: { [streamer] schedule in try await streamer.airingLength(of: schedule) },
            alerts: monitor
        )
        services.append(SchedulerService(scheduler: scheduler, book: book, logger: logger))
        let accounts = try Self.makeBrokerAccounts(
            settings: settings,
            embedded: embeddedSetup,
            topics: topics,
            database: database,
            controllerKey: { [keyring] in keyring.publicKeyText },
            configs: configs,
            bus: client,
            clock: clock,
            logger: logger
        )
        services.append(
            ReloadService(
                directory: settings.deviceConfigs,
                consumers: [book, monitor, accounts],
                logger: logger,
                onResult: { [health] rejected in health.reloadChanged(rejected: rejected) }
            )
        )

        let assets = AssetImportService(
            importer: importer,
            database: database,
            limits: .init(graceSeconds: settings.assetGraceSeconds),
            authorize: { user, urgent throws(OperationError) in try book.authorizeUpload(by: user, urgent: urgent) },
            logger: logger.with(label: "assets")
        )
        let access = APIRouter.Access(
            accounts: AccountBook(
                database: database,
                clock: clock,
                throttle: SignInThrottle.Policy(maximumDelay: settings.signInMaximumBackoff),
                logger: logger.with(label: "accounts")
            ),
            sessionStore: database,
            sessions: SessionPolicy(idle: settings.sessionIdle, lifetime: settings.sessionLifetime)
        )
        let router = APIRouter.build(
            access: access,
            health: health,
            schedules: book,
            assets: assets,
            receivers: monitor,
            metrics: monitor.metricsSource(
                health: health,
                database: database,
                journal: journal,
                inboundDrops: { [client] in client.inboundDrops }
            ),
            enrollment: accounts,
            // The CA receivers trust (the on-box one, or the site's), for `loa ca show`.
            brokerAuthorityFile: embeddedSetup?.caFile,
            speech: SpeechPreviewService(renderer: renderer)
        )
        services += try HTTPListeners.make(
            settings: settings,
            api: router,
            control: APIRouter.buildControl(access: access, health: health, schedules: book, assets: assets),
            health: health,
            controlExecutor: DedicatedThreadExecutor(name: "loa-control"),
            httpsCertificate: https.certificate,
            logger: logger
        )
        // After the API, so it stops first: SIGTERM cancels a running import at once.
        services.append(assets)
        services.append(
            SystemdNotifier(
                health: health,
                liveness: { [scheduler, audio] in
                    if ContinuousClock.now - (await scheduler.lastBeat) > .seconds(10) {
                        return "the scheduler loop is stuck"
                    }
                    if !audio.isAlive() { return "the audio thread is stuck" }
                    return nil
                },
                logger: logger
            )
        )

        self.group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
    }

    /// Loads (or on a first start creates) the signing key and the command sequence, writes the state dir's
    /// manifest if it has none, and audits the losses the operator accepted.
    static func openKeyAndSequence(
        stateDirectory: String,
        database: LoaDatabase,
        accepted: [StateGuard.Problem],
        logger: Logger
    ) throws(StartupError) -> (SigningKey, CommandSequence) {
        let signer: SigningKey
        let sequence: CommandSequence
        do {
            signer = try SigningKey.loadOrCreate(at: "\(stateDirectory)/\(StateGuard.key)")
            sequence = try CommandSequence(path: "\(stateDirectory)/\(StateGuard.sequence)")
        } catch {
            throw StartupError(description: "\(error)", exitCode: Sysexits.config)
        }
        if !StateManifest.writeIfMissing(directory: stateDirectory, publicKey: signer.publicKeyText) {
            logger.warning(
                "state.manifest-not-written",
                metadata: ["state.dir": "\(stateDirectory)", "fix": "check that the state dir is writable"]
            )
        }
        for problem in accepted {
            database.auditIfPossible(
                AuditEntry(
                    caller: .system,
                    action: "state.lost-accepted",
                    subject: problem.file,
                    detail: "\(problem.what); now \(problem.consequence)"
                ),
                logger: logger
            )
        }
        return (signer, sequence)
    }

    /// Opens the store; a corrupt one refuses the start with its own code (65, not a config error), unless the
    /// operator accepts the loss: then it is moved aside and a new one is made.
    static func openStore(
        stateGuard: StateGuard,
        accepted: inout [StateGuard.Problem],
        acceptingLoss: Bool,
        logger: Logger
    ) throws(StartupError) -> LoaDatabase {
        let path = "\(stateGuard.directory)/\(StateGuard.store)"
        do {
            return try LoaDatabase(path: path)
        } catch let error where LoaDatabase.isCorruption(error) {
            guard acceptingLoss else {
                throw StartupError(description: StateGuard.corruptStore(path, error: error), exitCode: Sysexits.data)
            }
            let problem = StateGuard.Problem(
                file: StateGuard.store,
                what: "is corrupt (\(error))",
                isDamage: true,
                moveAside: [StateGuard.store, StateGuard.writeAheadLog, StateGuard.sharedMemory],
                consequence: "an empty store: every schedule, asset record and log entry is gone"
            )
            let moved = try stateGuard.moveAside(problem.moveAside)
            logger.critical(
                "state.lost-accepted",
                metadata: [
                    "state.dir": "\(stateGuard.directory)", "state.file": "\(problem.file)",
                    "state.problem": "\(problem.what)", "state.now": "\(problem.consequence)",
                    "state.moved-aside": "\(moved.joined(separator: ", "))",
                ]
            )
            accepted.append(problem)
            return try openStore(stateGuard: stateGuard, accepted: &accepted, acceptingLoss: false, logger: logger)
        } catch {
            throw StartupError(description: "store '\(path)' cannot be opened: \(error)", exitCode: Sysexits.config)
        }
    }

    /// Runs until SIGTERM or SIGINT, then stops the services in reverse order.
    public func run() async throws(StartupError) {
        do {
            try await group.run()
        } catch {
            throw StartupError(
                description: "stopped on error: \(Self.describe(error, http: httpAddress))",
                exitCode: Sysexits.unavailable
            )
        }
    }

    /// The broadcast log's writes started failing (`failure` says why) or succeed again (nil): `loa health`
    /// says so, the log says so, and the operators are alerted.
    static func storeWritesChanged(
        failure: String?,
        health: DaemonHealth,
        alerts: any ControllerAlerting,
        logger: Logger
    ) {
        health.storeWritesChanged(failure: failure)
        if let failure {
            logger.critical(
                "store.write-failed",
                metadata: ["error": "\(failure)", "fix": "free space in the state dir"]
            )
        } else {
            logger.notice("store.write-recovered")
        }
        alerts.raiseStoreWrites(failure: failure)
    }

    static func makeClient(
        settings: ServeSettings,
        host: String,
        port: Int,
        topics: TopicTree,
        embeddedAccount: (username: String, password: String)?,
        logger: Logger
    ) throws(StartupError) -> MQTTClient {
        var credentials = settings.credentials
        var password: String?
        do { password = try credentials.readPassword() } catch {
            throw StartupError(description: error.description, exitCode: Sysexits.config)
        }
        if let embeddedAccount {
            credentials.username = embeddedAccount.username
            password = embeddedAccount.password
        }
        var tls: MQTTConfiguration.TLS?
        if case .remote(_, _, true) = settings.broker {
            guard let ca = credentials.caFile else {
                throw StartupError(
                    description: "broker \(settings.broker) uses TLS but the config file sets no mqtt.ca-file",
                    exitCode: Sysexits.config
                )
            }
            tls = .init(caFile: ca, certificateFile: credentials.certificateFile, keyFile: credentials.keyFile)
        }
        func status(_ state: AvailabilityStatus.State) -> BusMessage {
            BusMessage(
                topic: topics.controllerStatus,
                payload: AvailabilityStatus(state: state, version: LoaVersion.current).encoded(),
                delivery: .atLeastOnce,
                retain: true
            )
        }
        let configuration = MQTTConfiguration(
            host: host,
            port: port,
            clientID: "loa-controller-\(topics.site)",
            keepAlive: settings.mqttKeepAlive,
            username: credentials.username,
            password: password,
            tls: tls,
            birth: status(.online),
            will: status(.offline),
            inbound: .controller(topics)
        )
        do {
            return try MQTTClient(configuration: configuration, logger: logger.with(label: "mqtt"))
        } catch {
            throw StartupError(description: "MQTT client: \(error)", exitCode: Sysexits.config)
        }
    }

    static func describe(_ error: any Error, http: HostPort) -> String {
        if let https = error as? HTTPSListener.CannotListen { return https.description }
        let text = "\(error)"
        if text.contains("Address already in use") {
            return "the HTTP API cannot listen on \(http): address already in use; pick another with --http"
        }
        return text
    }
}

extension Logger {
    /// The same handler and level under another label, one per component.
    func with(label: String) -> Logger {
        var copy = self
        copy[metadataKey: "component"] = "\(label)"
        return copy
    }
}
