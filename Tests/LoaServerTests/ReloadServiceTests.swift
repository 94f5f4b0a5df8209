import Foundation
import LoaAudio
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

@testable import LoaServer

/// The one reload of `device-configs/`: the schedule book (and its scheduler) and the receiver monitor move
/// together to a good version, and together stay on the running one when any file is bad.
@Suite("device-configs reload")
struct ReloadServiceTests {
    struct Daemon {
        let directory: String
        let book: ScheduleBook
        let monitor: ReceiverMonitorService
        let reload: ReloadService
        let topics: TopicTree

        init() async throws {
            directory = try DaemonUnderTest.copyOfSampleDeviceConfigs()
            let state = try TestBroker.makeTemporaryDirectory(prefix: "loa-reload")
            topics = try TopicTree(site: "xa-an-phu")
            let configs = try DeviceConfigs.load(from: directory)
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_764_385_200))
            let scheduler = Scheduler(
                clock: clock,
                log: InMemoryBroadcastLog(),
                player: RecordingPlayer(clock: clock, duration: 1),
                zones: ZoneResolver(inventory: configs.inventory)
            )
            let commands = CommandPublisher(
                bus: InMemoryBus(),
                topics: topics,
                signer: try TestController.makeKey(),
                sequence: BroadcastStreamerTests.CountingSequence(),
                clock: clock
            )
            book = ScheduleBook(
                database: try LoaDatabase(path: "\(state)/loa.sqlite"),
                scheduler: scheduler,
                commands: commands,
                controllerPublicKey: "",
                importer: AssetImporter(library: try AssetLibrary(directory: "\(state)/assets")),
                clock: clock,
                configs: configs,
                siteID: "xa-an-phu"
            )
            try await book.apply(configs)
            monitor = ReceiverMonitorService(
                topics: topics,
                inventory: configs.inventory,
                settings: configs.monitoring,
                bus: InMemoryBus(),
                store: nil,
                clock: clock,
                logger: quietLogger("loa.test.reload")
            )
            reload = ReloadService(
                directory: directory,
                consumers: [book, monitor],
                logger: quietLogger("loa.test.reload")
            )
        }

        func write(_ text: String, to file: String) throws {
            try text.write(toFile: "\(directory)/\(file)", atomically: true, encoding: .utf8)
        }

        func append(_ text: String, to file: String) throws {
            try write(try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) + text, to: file)
        }

        /// The receivers each side runs on.
        func receivers() async -> (book: [String], monitor: [String]) {
            let book = await book.inventory().receivers.map(\.id)
            let monitor = (try? await monitor.receivers(zone: nil, filter: nil).filter { !$0.stranger }.map(\.id)) ?? []
            return (book.sorted(), monitor.sorted())
        }
    }

    @Test func aGoodReloadMovesTheBookAndTheMonitorAndAHalfBrokenOneMovesNeither() async throws {
        let daemon = try await Daemon()
        let before = await daemon.receivers()
        #expect(before.book == before.monitor && before.book.count == 5)

        // A good change: a new receiver, and a tighter clock threshold.
        try daemon.append("  - id: rx-moi-01\n    name: \"Mới\"\n    zone: thon-dong\n", to: "receivers.yaml")
        try daemon.write("degraded:\n  clock-offset-ms: 10\n", to: "monitoring.yaml")
        #expect(await daemon.reload.reload())
        let moved = await daemon.receivers()
        #expect(moved.book == moved.monitor && moved.book.contains("rx-moi-01") && moved.book.count == 6)
        #expect(daemon.monitor.settings.withLock { $0.monitor.thresholds.clockOffsetMs } == 10)

        // Half saved: receivers.yaml is fine, monitoring.yaml is not. Neither side moves.
        try daemon.append("  - id: rx-moi-02\n    name: \"Mới 2\"\n    zone: thon-tay\n", to: "receivers.yaml")
        try daemon.write("degraded:\n  clock_offset: 1\n", to: "monitoring.yaml")
        #expect(await daemon.reload.reload() == false)
        #expect(await daemon.receivers() == moved)
        #expect(daemon.monitor.settings.withLock { $0.monitor.thresholds.clockOffsetMs } == 10)

        // And the other way round: a broken receivers.yaml with a good monitoring.yaml.
        try daemon.write("degraded:\n  clock-offset-ms: 20\n", to: "monitoring.yaml")
        try daemon.append("  - id: RX BAD\n    zone: thon-tay\n", to: "receivers.yaml")
        #expect(await daemon.reload.reload() == false)
        #expect(await daemon.receivers() == moved)
        #expect(daemon.monitor.settings.withLock { $0.monitor.thresholds.clockOffsetMs } == 10)
    }

    @Test func aNewThresholdJudgesTheLastReportAgain() async throws {
        let daemon = try await Daemon()
        let telemetry = Telemetry(interval: 10, clockOffsetMs: 12)
        daemon.monitor.receive(
            BusMessage(
                topic: daemon.topics.receiverTelemetry("rx-dong-01"),
                payload: Array(try JSONEncoder().encode(telemetry))
            )
        )
        #expect(daemon.monitor.counts.online == 1)
        #expect(daemon.monitor.counts.degraded == 0)
        try daemon.write("degraded:\n  clock-offset-ms: 10\n", to: "monitoring.yaml")
        #expect(await daemon.reload.reload())
        #expect(daemon.monitor.counts.degraded == 1, "the new threshold judged the last report again")
    }
}
