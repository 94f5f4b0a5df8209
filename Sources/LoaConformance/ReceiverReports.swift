import Foundation
import LoaCore
import Synchronization

/// Everything the receiver under test publishes (events, telemetry, status), kept with when it arrived, for the
/// rules to wait on.
final class ReceiverReports: Sendable {
    struct Arrival<Report: Sendable>: Sendable {
        let report: Report
        let at: Date
    }

    private let events = Mutex<[Arrival<ReceiverEvent>]>([])
    private let telemetry = Mutex<[Arrival<Telemetry>]>([])
    private let statuses = Mutex<[Arrival<AvailabilityStatus>]>([])
    let topics: TopicTree
    let id: String

    init(topics: TopicTree, id: String) {
        self.topics = topics
        self.id = id
    }

    /// Files one message from the broker; anything that is not the receiver's own, or not readable, is ignored.
    func take(_ message: BusMessage) {
        let now = Date()
        switch message.topic {
        case topics.receiverEvents(id):
            guard let event = try? NetworkJSON.decode(ReceiverEvent.self, from: message.payload) else { return }
            events.withLock { $0.append(Arrival(report: event, at: now)) }
        case topics.receiverTelemetry(id):
            guard let report = try? NetworkJSON.decode(Telemetry.self, from: message.payload) else { return }
            telemetry.withLock { $0.append(Arrival(report: report, at: now)) }
        case topics.receiverStatus(id):
            guard let status = try? AvailabilityStatus(decoding: message.payload) else { return }
            statuses.withLock { $0.append(Arrival(report: status, at: now)) }
        default:
            break
        }
    }

    func events(since start: Date) -> [ReceiverEvent] {
        events.withLock { $0.filter { $0.at >= start }.map(\.report) }
    }

    func telemetry(since start: Date) -> [Telemetry] {
        telemetry.withLock { $0.filter { $0.at >= start }.map(\.report) }
    }

    var latestTelemetry: Telemetry? { telemetry.withLock { $0.last?.report } }

    var isOnline: Bool { statuses.withLock { $0.last?.report.state == .online } }

    /// Waits until `found` returns something, or `timeout` passes (nil then).
    func wait<T>(timeout: Duration, for found: () -> T?) async -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = found() { return value }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return found()
    }
}
