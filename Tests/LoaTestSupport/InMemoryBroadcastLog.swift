import Foundation
import LoaCore
import Synchronization

/// The scheduler's log port in memory, for the core's unit tests.
public final class InMemoryBroadcastLog: BroadcastLogging, Sendable {
    struct State {
        var entries: [BroadcastLogEntry] = []
        var watermark: Date?
    }

    let state: Mutex<State>

    public init(watermark: Date? = nil, entries: [BroadcastLogEntry] = []) {
        state = Mutex(State(entries: entries, watermark: watermark))
    }

    public var entries: [BroadcastLogEntry] { state.withLock { $0.entries } }

    public func append(_ entry: BroadcastLogEntry) throws -> Int64 {
        state.withLock { state in
            var entry = entry
            entry.id = Int64(state.entries.count + 1)
            state.entries.append(entry)
            return entry.id!
        }
    }

    public func update(_ entry: BroadcastLogEntry) throws {
        state.withLock { state in
            guard let id = entry.id, let index = state.entries.firstIndex(where: { $0.id == id }) else { return }
            state.entries[index] = entry
        }
    }

    public func openEntries() throws -> [BroadcastLogEntry] {
        entries.filter { !$0.outcome.isFinal }
    }

    public func watermark() throws -> Date? { state.withLock { $0.watermark } }

    public func setWatermark(_ date: Date) throws { state.withLock { $0.watermark = date } }
}
