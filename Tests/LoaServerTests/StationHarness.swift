import Foundation
import Hummingbird
import LoaAudio
import LoaCore
import LoaHTTP
import LoaStore
import LoaTestSupport
import Logging

@testable import LoaServer

/// The operators' side of `loa serve` in-process, on the sample commune: the schedule book on a temporary
/// SQLite file with its scheduler, the receiver monitor, the command publisher on an in-memory bus, all on
/// a manual clock. For tests of the reload, the book and the HTTP API without processes or a broker.
struct StationHarness {
    static let start = Date(timeIntervalSince1970: 1_764_385_200)
    let directory: String
    let state: String
    let topics: TopicTree
    let clock = ManualClock(now: StationHarness.start)
    let bus = InMemoryBus()
    let log = InMemoryBroadcastLog()
    let database: LoaDatabase
    let book: ScheduleBook
    let monitor: ReceiverMonitorService
    let health: DaemonHealth
    let accounts: AccountBook
    /// The controller's public key, as `loa key show` prints it: what its signed alerts verify against.
    let publicKey: String

    init() async throws {
        directory = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        state = try TestBroker.makeTemporaryDirectory(prefix: "loa-station")
        topics = try TopicTree(site: "xa-an-phu")
        let configs = try DeviceConfigs.load(from: directory)
        database = try LoaDatabase(path: "\(state)/loa.sqlite")
        let scheduler = Scheduler(
            clock: clock,
            log: log,
            player: RecordingPlayer(clock: clock, duration: 1),
            zones: ZoneResolver(inventory: configs.inventory)
        )
        let key = try TestController.makeKey()
        publicKey = key.publicKeyText
        let commands = CommandPublisher(
            bus: bus,
            topics: topics,
            signer: key,
            sequence: BroadcastStreamerTests.CountingSequence(),
            clock: clock
        )
        monitor = ReceiverMonitorService(
            topics: topics,
            inventory: configs.inventory,
            settings: configs.monitoring,
            bus: bus,
            store: nil,
            clock: clock,
            signer: key,
            logger: quietLogger("loa.test.station")
        )
        book = ScheduleBook(
            database: database,
            scheduler: scheduler,
            commands: commands,
            controllerPublicKey: key.publicKeyText,
            clock: clock,
            configs: configs,
            siteID: "xa-an-phu",
            voices: EspeakEngine.vietnameseVoices,
            alerts: monitor
        )
        try await book.apply(configs)
        accounts = AccountBook(database: database, clock: clock, logger: quietLogger("loa.test.accounts"))
        let database = database
        health = DaemonHealth(
            site: "xa-an-phu",
            brokerDescription: "in memory",
            brokerURL: "mqtt://127.0.0.1:1883",
            storeCheck: { database.checkHealth() }
        )
    }

    /// The HTTP API over this station, as `loa serve` routes it.
    func application(brokerAuthorityFile: String? = nil) throws -> some ApplicationProtocol {
        Application(
            router: APIRouter.build(
                access: access,
                health: health,
                schedules: book,
                assets: try makeAssets(),
                receivers: monitor,
                metrics: monitor.metricsSource(health: health, database: database, journal: nil),
                brokerAuthorityFile: brokerAuthorityFile,
                now: { [clock] in clock.now() }
            )
        )
    }

    /// Sign-in as `loa serve` sets it up, on this station's store.
    var access: APIRouter.Access {
        APIRouter.Access(accounts: accounts, sessionStore: database, sessions: SessionPolicy())
    }

    /// `Authorization: Bearer` with a token of `name`'s, its account made on first use: chu-tich approves,
    /// can-bo-van-hoa drafts, anyone else only reads.
    func credentials(_ name: String, scope: TokenScope = .full) async throws -> HTTPFields {
        let role: OperatorRole =
            switch name {
            case "chu-tich": .approver
            case "can-bo-van-hoa": .operator
            default: .viewer
            }
        if try database.account(named: name) == nil {
            _ = try await accounts.addUser(UserChange(name: name, role: role), by: .system)
        }
        let issued = try await accounts.issueToken(
            TokenRequest(account: name, scope: scope, label: "test"),
            by: .system
        )
        return [.authorization: "Bearer \(issued.token)"]
    }

    /// The one reload, over this station's `device-configs/` copy.
    var reload: ReloadService {
        ReloadService(directory: directory, consumers: [book, monitor], logger: quietLogger("loa.test.reload"))
    }

    func write(_ text: String, to file: String) throws {
        try text.write(toFile: "\(directory)/\(file)", atomically: true, encoding: .utf8)
    }

    func append(_ text: String, to file: String) throws {
        try write(try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) + text, to: file)
    }

    /// The audio library behind the API on this station's state dir and store, with the free space a test
    /// chooses (nil: the real disk's).
    func makeAssets(
        limits: AssetImportService.Limits = .init(),
        freeSpace: (@Sendable (String) -> Int64?)? = nil
    ) throws -> AssetImportService {
        let book = self.book
        return AssetImportService(
            importer: AssetImporter(library: try AssetLibrary(directory: "\(state)/assets")),
            database: database,
            limits: limits,
            authorize: { user, urgent throws(OperationError) in try book.authorizeUpload(by: user, urgent: urgent) },
            freeSpace: freeSpace ?? FreeSpace.available(at:),
            logger: Logger(label: "test.assets")
        )
    }
}

/// The operation error `body` throws, or nil when it succeeds.
func operationError(_ body: () async throws -> some Any) async -> OperationError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? OperationError ?? OperationError(.unavailable, "not an operation error: \(error)")
    }
}
