import Foundation

/// The scheduler's broadcast-log writes, in the order it decides them, written by one task.
///
/// The scheduler changes its state (what is waiting, what is on air) synchronously, so that no other call
/// can see it half-changed; if it awaited each log write in the middle of a change, another call could run
/// at that suspension point and, say, start a second broadcast on zones already taken. So it only *queues*
/// updates here, in order, and one task writes them. An append waits for its id, since the scheduler needs
/// it; it goes through the same queue, so an entry is never updated before it exists.
final class BroadcastLogQueue: Sendable {
    private enum Write: Sendable {
        case append(BroadcastLogEntry, CheckedContinuation<Int64, any Error>)
        case update(BroadcastLogEntry)
        case flush(CheckedContinuation<Void, Never>)
    }

    private let continuation: AsyncStream<Write>.Continuation

    /// Starts the writing task; `onLogged` is told of every update once it is written.
    init(log: any BroadcastLogging, onLogged: @escaping @Sendable (BroadcastLogEntry) -> Void) {
        let (stream, continuation) = AsyncStream.makeStream(of: Write.self)
        self.continuation = continuation
        Task {
            for await write in stream {
                switch write {
                case .append(let entry, let waiter):
                    do { waiter.resume(returning: try await log.append(entry)) } catch {
                        waiter.resume(throwing: error)
                    }
                case .update(let entry):
                    // A failed update is not retried: the entry stays as last written, and a restart's
                    // recovery closes entries left open.
                    try? await log.update(entry)
                    onLogged(entry)
                case .flush(let waiter):
                    waiter.resume()
                }
            }
        }
    }

    deinit { continuation.finish() }

    /// Adds `entry` after every write queued before it, and returns its id.
    func append(_ entry: BroadcastLogEntry, isolation: isolated (any Actor)? = #isolation) async throws -> Int64 {
        try await withCheckedThrowingContinuation(isolation: isolation) { continuation.yield(.append(entry, $0)) }
    }

    /// Queues an update of `entry`'s outcome and times.
    func update(_ entry: BroadcastLogEntry) {
        continuation.yield(.update(entry))
    }

    /// Returns once every write queued before it is written.
    func flush(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { continuation.yield(.flush($0)) }
    }
}
