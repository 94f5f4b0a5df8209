import Foundation
import LoaCore
import Synchronization

/// The scheduler's on-air records in memory, holding what a "previous run" left, for the core's unit tests.
public final class InMemoryOnAir: OnAirRecording, Sendable {
    let records: Mutex<[Int64: OnAirRecord]>

    public init(leftOver: [OnAirRecord] = []) {
        records = Mutex(Dictionary(leftOver.map { ($0.broadcast, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// The records kept now, by broadcast id.
    public var kept: [Int64: OnAirRecord] { records.withLock { $0 } }

    public func leftOver() async -> [OnAirRecord] { records.withLock { Array($0.values) } }

    public func began(_ record: OnAirRecord) { records.withLock { $0[record.broadcast] = record } }

    public func ended(broadcast: Int64) { _ = records.withLock { $0.removeValue(forKey: broadcast) } }
}

/// The controller's alerts, recorded, for the core's unit tests.
public final class RecordingAlerts: ControllerAlerting, Sendable {
    public struct Raised: Sendable, Hashable {
        public let kind: ReceiverAlert.Kind
        public let summary: String
        public let broadcast: Int64?
    }

    let state = Mutex<[Raised]>([])

    public init() {}

    public var raised: [Raised] { state.withLock { $0 } }

    public func raise(_ kind: ReceiverAlert.Kind, summary: String, broadcast: Int64?) {
        state.withLock { $0.append(Raised(kind: kind, summary: summary, broadcast: broadcast)) }
    }
}
