import Foundation
import LoaCore
import LoaTestSupport

/// A monitor over a small commune, fed by hand on a manual clock: what the receiver monitor tests share.
struct MonitorFixture {
    let topics = try! TopicTree(site: "xa-an-phu")
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_764_385_200))
    var monitor: ReceiverMonitor
    /// Everything the monitor asked its caller to do, in order.
    var output = MonitorOutput()

    static func inventory(_ count: Int) -> SiteInventory {
        SiteInventory(
            zones: [Zone(id: "thon-dong", name: "Thôn Đông"), Zone(id: "thon-tay", name: "Thôn Tây")],
            receivers: (1...count).map { index in
                Receiver(
                    id: "rx-\(index)",
                    name: "Cụm loa số \(index)",
                    zone: index % 2 == 0 ? "thon-tay" : "thon-dong"
                )
            }
        )
    }

    init(receivers: Int = 5, configuration: MonitorConfiguration = MonitorConfiguration()) {
        monitor = ReceiverMonitor(topics: topics, inventory: Self.inventory(receivers), configuration: configuration)
    }

    var now: Date { clock.now() }

    /// Feeds raw bytes on `rx/{id}/{kind}`.
    @discardableResult
    mutating func send(_ id: String, _ kind: String, _ payload: [UInt8], retained: Bool = false) -> MonitorOutput? {
        let message = BusMessage(topic: "\(topics.root)/rx/\(id)/\(kind)", payload: payload, retain: retained)
        let result = monitor.receive(message, at: now)
        if let result { output.append(result) }
        return result
    }

    @discardableResult
    mutating func send(_ id: String, _ kind: String, text: String, retained: Bool = false) -> MonitorOutput? {
        send(id, kind, Array(text.utf8), retained: retained)
    }

    mutating func online(_ id: String, retained: Bool = false) {
        send(id, "status", AvailabilityStatus(state: .online, version: "0.1.0").encoded(), retained: retained)
    }

    /// Birth and a report with the longest interval: up, and not lost for hours.
    mutating func up(_ id: String) {
        online(id)
        telemetry(id, Telemetry(interval: 3600))
    }

    mutating func offline(_ id: String) {
        send(id, "status", AvailabilityStatus(state: .offline).encoded())
    }

    mutating func telemetry(
        _ id: String,
        _ telemetry: Telemetry = Telemetry(interval: 10, signal: .init(rssi: -70, network: "4g"), volume: 80)
    ) {
        let encoder = JSONEncoder()
        send(id, "telemetry", Array(try! encoder.encode(telemetry)))
    }

    mutating func event(_ id: String, _ event: ReceiverEvent) {
        send(id, "events", Array(try! JSONEncoder().encode(event)))
    }

    /// Advances the clock by `seconds` in one-second ticks, as the service does.
    mutating func pass(_ seconds: Int) {
        for _ in 0..<seconds {
            clock.advance(by: 1)
            output.append(monitor.tick(at: now))
        }
    }

    func state(_ id: String) -> ReceiverState? { monitor.status(of: id)?.state }

    /// Takes the alerts collected so far.
    mutating func takeAlerts() -> [ReceiverAlert] {
        defer { output.alerts = [] }
        return output.alerts
    }
}
