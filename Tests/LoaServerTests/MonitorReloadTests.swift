import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaServer

/// A bus that goes nowhere, for tests of the monitor's own logic.
struct NullBus: MessageBus {
    let stream = AsyncStream<BusMessage>.makeStream()
    func publish(_ message: BusMessage) throws {}
    func subscribe(to filter: String, delivery: DeliveryGuarantee) throws {}
    func unsubscribe(from filter: String) throws {}
    var connectionState: BusConnectionState { .connected }
    var messages: AsyncStream<BusMessage> { stream.stream }
}

@Suite("Receiver monitor reload")
struct MonitorReloadTests {
    @Test func sighupRereadsTheInventoryAndThresholdsAndKeepsThemOnABadFile() throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let topics = try TopicTree(site: "xa-an-phu")
        let loaded = try DeviceConfigs.load(from: configs)
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_764_385_200))
        let service = ReceiverMonitorService(
            topics: topics,
            inventory: loaded.inventory,
            settings: try MonitoringSettings.load(from: configs),
            bus: NullBus(),
            store: nil,
            clock: clock,
            deviceConfigs: configs,
            logger: quietLogger("loa.test.reload")
        )
        let telemetry = Telemetry(interval: 10, clockOffsetMs: 12)
        service.receive(
            BusMessage(
                topic: topics.receiverTelemetry("rx-dong-01"),
                payload: Array(try JSONEncoder().encode(telemetry))
            )
        )
        #expect(service.counts.online == 1)
        #expect(service.counts.degraded == 0)

        try "degraded:\n  clock-offset-ms: 10\n".write(
            toFile: "\(configs)/monitoring.yaml",
            atomically: true,
            encoding: .utf8
        )
        let receivers = try String(contentsOfFile: "\(configs)/receivers.yaml", encoding: .utf8)
        try (receivers + "  - id: rx-moi-01\n    name: \"Mới\"\n    zone: thon-dong\n")
            .write(toFile: "\(configs)/receivers.yaml", atomically: true, encoding: .utf8)
        service.reload()
        #expect(service.counts.degraded == 1, "the new threshold judged the last report again")
        #expect(service.counts.total == 6)

        try "degraded:\n  clock_offset: 1\n".write(
            toFile: "\(configs)/monitoring.yaml",
            atomically: true,
            encoding: .utf8
        )
        service.reload()
        #expect(service.counts.degraded == 1, "a bad file keeps the running configuration")
        #expect(service.settings.withLock { $0.monitor.thresholds.clockOffsetMs } == 10)
    }
}
