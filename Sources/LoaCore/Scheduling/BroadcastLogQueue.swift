import Synchronization

/// The scheduler's broadcast-log writes, in the order it decides them, written by one task, and kept in
/// memory for as long as the disk refuses them.
///
/// The scheduler changes its state (what is waiting, what is on air) synchronously, so that no other call
/// can see it half-changed; if it awaited each log write in the middle of a change, another call could run
/// at that suspension point and, say, start a second broadcast on zones already taken. So it only *queues*
/// writes here, in order, and one task writes them.
///
/// A write that fails (a full disk, a read-only store) stays at the head of the queue and is tried again
/// every ``retryInterval``, the ones behind it waiting their turn, so nothing is lost or reordered; airing and
/// stopping never wait for it. An append, whose id the scheduler needs, gets a provisional negative id when
/// the disk refuses it; the updates queued behind it are written under the real id once it lands.
final class BroadcastLogQueue: Sendable {
    private typealias Write = UnwrittenLogWrite

    private struct State {
        var queue: [Write] = []
        /// Appends waiting for their id, by provisional id.
        var waitingForID: [Int64: CheckedContinuation<Int64, Never>] = [:]
        /// Flushes waiting for the queue to drain up to their place, by the number of writes before them.
        var flushes: [(position: Int, continuation: CheckedContinuation<Void, Never>)] = []
        /// Writes done since the start, for ``flush()``'s positions.
        var written = 0
        var nextProvisionalID: Int64 = -1
        /// The real ids of appends that first got a provisional one.
        var realIDs: [Int64: Int64] = [:]
        /// Why the head write keeps failing, while it does.
        var failure: String?
        var wakeUp: CheckedContinuation<Void, Never>?
        var finished = false
    }

    /// The state the writing task shares with the callers; the task holds it, not the queue, so that the
    /// queue's `deinit` can end the task.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    /// How long a refused write waits before it is tried again.
    let retryInterval: Duration
    private let shared = Shared()
    /// The one writing task; ``close()`` ends it.
    private let writer: Task<Void, Never>

    /// Starts the writing task. `onLogged` is told of every update once it is written; `onFailure` of each
    /// change between writing and failing to write (the reason, or nil once writes succeed again).
    init(
        log: any BroadcastLogging,
        retryInterval: Duration = .seconds(2),
        onLogged: @escaping @Sendable (BroadcastLogEntry) -> Void,
        onFailure: @escaping @Sendable (String?) -> Void = { _ in }
    ) {
        self.retryInterval = retryInterval
        writer = Task { [shared] in
            while let write = await Self.next(shared), !Task.isCancelled {
                do {
                    try await Self.perform(write, on: log, shared: shared, onLogged: onLogged)
                    let recovered = Self.finishHead(shared)
                    if recovered { onFailure(nil) }
                } catch {
                    let first = Self.fail(shared, "\(error)")
                    if first { onFailure("\(error)") }
                    try? await Task.sleep(for: retryInterval)
                }
            }
        }
    }

    deinit {
        let wakeUp = shared.state.withLock { state in
            state.finished = true
            defer { state.wakeUp = nil }
            return state.wakeUp
        }
        wakeUp?.resume()
    }

    /// Adds `entry` after every write queued before it, and returns its id: the real one once written, or a
    /// provisional negative one at once if the disk refuses it, so that the broadcast airs all the same.
    func append(_ entry: BroadcastLogEntry, isolation: isolated (any Actor)? = #isolation) async -> Int64 {
        await withCheckedContinuation(isolation: isolation) { continuation in
            let wakeUp = shared.state.withLock { state in
                let provisional = state.nextProvisionalID
                state.nextProvisionalID -= 1
                state.queue.append(.append(entry, provisionalID: provisional))
                if state.failure != nil {
                    continuation.resume(returning: provisional)
                } else {
                    state.waitingForID[provisional] = continuation
                }
                return Self.takeWakeUp(&state)
            }
            wakeUp?.resume()
        }
    }

    /// Queues an update of `entry`'s outcome and times.
    func update(_ entry: BroadcastLogEntry) {
        enqueue(.update(entry))
    }

    /// Queues the scheduler's watermark, after the appends of the occurrences it covers.
    func setWatermark(_ date: Date) {
        enqueue(.watermark(date))
    }

    /// Returns once every write queued before it is written, or at once while the disk refuses writes (they
    /// are kept in memory, and written in order once it takes them again).
    func flush(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { continuation in
            shared.state.withLock { state in
                if state.queue.isEmpty || state.failure != nil {
                    continuation.resume()
                } else {
                    state.flushes.append((state.written + state.queue.count, continuation))
                }
            }
        }
    }

    /// Ends the writing task (after the write it is doing, if any) and returns what is still unwritten, in
    /// order: what the disk refused until now, for the log to keep until the next start.
    func close() async -> [UnwrittenLogWrite] {
        let wakeUp = shared.state.withLock { state in
            state.finished = true
            return Self.takeWakeUp(&state)
        }
        wakeUp?.resume()
        writer.cancel()
        await writer.value
        return shared.state.withLock { state in
            state.queue.map { write in
                guard case .update(var entry) = write, let id = entry.id, id < 0, let real = state.realIDs[id] else {
                    return write
                }
                entry.id = real
                return .update(entry)
            }
        }
    }

    /// Why writes fail, while they do.
    var failure: String? { shared.state.withLock { $0.failure } }

    // MARK: The writing task

    private func enqueue(_ write: Write) {
        let wakeUp = shared.state.withLock { state in
            state.queue.append(write)
            return Self.takeWakeUp(&state)
        }
        wakeUp?.resume()
    }

    private static func takeWakeUp(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        defer { state.wakeUp = nil }
        return state.wakeUp
    }

    /// The head of the queue, waiting for one; nil once the queue is dropped.
    private static func next(_ shared: Shared) async -> Write? {
        while true {
            if let head = shared.state.withLock({ $0.queue.first }) { return head }
            if shared.state.withLock({ $0.finished }) { return nil }
            await withCheckedContinuation { continuation in
                let ready = shared.state.withLock { state in
                    if !state.queue.isEmpty || state.finished { return true }
                    state.wakeUp = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    private static func perform(
        _ write: Write,
        on log: any BroadcastLogging,
        shared: Shared,
        onLogged: @Sendable (BroadcastLogEntry) -> Void
    ) async throws {
        switch write {
        case .append(let entry, let provisional):
            let id = try await log.append(entry)
            let waiter = shared.state.withLock { state in
                state.realIDs[provisional] = id
                return state.waitingForID.removeValue(forKey: provisional)
            }
            waiter?.resume(returning: id)
        case .update(var entry):
            if let id = entry.id, id < 0 {
                // Its append was refused at first; it has its real id now (the append is ahead in the queue).
                guard let real = shared.state.withLock({ $0.realIDs[id] }) else { return }
                entry.id = real
            }
            try await log.update(entry)
            onLogged(entry)
        case .watermark(let date):
            try await log.setWatermark(date)
        }
    }

    /// Drops the written head and resumes the flushes it satisfies; returns whether writes had been failing.
    private static func finishHead(_ shared: Shared) -> Bool {
        let (recovered, flushes) = shared.state.withLock { state in
            state.queue.removeFirst()
            state.written += 1
            let recovered = state.failure != nil
            state.failure = nil
            let done = state.flushes.filter { $0.position <= state.written }
            state.flushes.removeAll { $0.position <= state.written }
            return (recovered, done.map(\.continuation))
        }
        for flush in flushes { flush.resume() }
        return recovered
    }

    /// Records a failure of the head write: appends waiting for their id get a provisional one, and flushes
    /// return, since the writes are kept. Returns whether this is the first failure in a row.
    private static func fail(_ shared: Shared, _ reason: String) -> Bool {
        let (first, waiters, flushes) = shared.state.withLock { state in
            let first = state.failure == nil
            state.failure = reason
            let waiters = state.waitingForID.map { ($0.key, $0.value) }
            state.waitingForID.removeAll()
            let flushes = state.flushes.map(\.continuation)
            state.flushes.removeAll()
            return (first, waiters, flushes)
        }
        for (provisional, waiter) in waiters { waiter.resume(returning: provisional) }
        for flush in flushes { flush.resume() }
        return first
    }
}
