import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaServer

/// The one reload of `device-configs/`: the schedule book (and its scheduler) and the receiver monitor move
/// together to a good version, and together stay on the running one when any file is bad.
@Suite("device-configs reload")
struct ReloadServiceTests {
    typealias Daemon = StationHarness

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

extension StationHarness {
    /// The receivers each side runs on.
    func receivers() async -> (book: [String], monitor: [String]) {
        let book = await book.inventory().receivers.map(\.id)
        let monitor = (try? await monitor.receivers(zone: nil, filter: nil).filter { !$0.stranger }.map(\.id)) ?? []
        return (book.sorted(), monitor.sorted())
    }
}
