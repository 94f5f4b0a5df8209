import Foundation
import LoaCore
import Synchronization

/// The scheduler's log port in memory, for the core's unit tests.
public final class InMemoryBroadcastLog: BroadcastLogging, Sendable {
    struct State {
        var entries: [BroadcastLogEntry] = []
        var watermark: Date?
        var refusal: String?
    }

    /// What a write throws while the log refuses writes.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Makes every write throw `reason` (a full disk), or succeed again with nil.
    public func refuseWrites(_ reason: String?) {
        state.withLock { $0.refusal = reason }
    }

    func checkWritable() throws {
        if let reason = state.withLock({ $0.refusal }) { throw Refused(description: reason) }
    }

    let state: Mutex<State>
    /// How long each write takes, in real time: a slow disk, for the scheduler's ordering tests.
    let writeDelay: Duration

    public init(watermark: Date? = nil, entries: [BroadcastLogEntry] = [], writeDelay: Duration = .zero) {
        state = Mutex(State(entries: entries, watermark: watermark))
        self.writeDelay = writeDelay
    }

    func slowDisk() async {
        if writeDelay > .zero { try? await Task.sleep(for: writeDelay) }
    }

    public var entries: [BroadcastLogEntry] { state.withLock { $0.entries } }

    /// The watermark, for tests that read it without the port's async call.
    public var currentWatermark: Date? { state.withLock { $0.watermark } }

    public func append(_ entry: BroadcastLogEntry) async throws -> Int64 {
        await slowDisk()
        try checkWritable()
        return state.withLock { state in
            var entry = entry
            entry.id = Int64(state.entries.count + 1)
            state.entries.append(entry)
            return entry.id!
        }
    }

    public func update(_ entry: BroadcastLogEntry) async throws {
        await slowDisk()
        try checkWritable()
        state.withLock { state in
            guard let id = entry.id, let index = state.entries.firstIndex(where: { $0.id == id }) else { return }
            state.entries[index] = entry
        }
    }

    public func openEntries() async throws -> [BroadcastLogEntry] {
        entries.filter { !$0.outcome.isFinal }
    }

    public func watermark() async throws -> Date? { state.withLock { $0.watermark } }

    public func setWatermark(_ date: Date) async throws {
        try checkWritable()
        state.withLock { $0.watermark = date }
    }
}
