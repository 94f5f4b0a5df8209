import Foundation
import LoaCore
import LoaStore
import Logging
import ServiceLifecycle
import Synchronization

/// Takes every receiver's events off the bus for the broadcast log: each goes to the broadcasts' audiences
/// (``BroadcastAudienceTracker``), which decide what it means for the receiver's part; a rejection is also
/// logged as a warning (the monitor counts it per receiver). Malformed events are counted and dropped: network
/// input never crashes the controller.
///
/// Its service is the log's one writer of receivers' reports, a batch per transaction.
final class ReceiverEventRecorder: Service, InboundConsumer, Sendable {
    let topics: TopicTree
    let database: LoaDatabase
    let audiences: BroadcastAudienceTracker
    let logger: Logger
    /// Whether the last batch was refused: a refusal is logged once, not at every retry.
    let failing = Mutex(false)
    var queue: ReceiverReportQueue { audiences.reports }

    init(topics: TopicTree, database: LoaDatabase, audiences: BroadcastAudienceTracker, logger: Logger) {
        self.topics = topics
        self.database = database
        self.audiences = audiences
        self.logger = logger
    }

    /// How long a batch the store refused waits before it is tried again.
    static let retryInterval: Duration = .seconds(2)

    /// Files pending reports until graceful shutdown, then files what is left, or keeps it for the next start
    /// when the store still refuses it (a full disk).
    func run() async {
        await withGracefulShutdownHandler {
            for await _ in queue.wakeUps {
                guard await flush() else {
                    let queue = queue
                    Task {
                        try? await Task.sleep(for: Self.retryInterval)
                        queue.wake.yield()
                    }
                    continue
                }
            }
        } onGracefulShutdown: {
            self.queue.wake.finish()
        }
        if !(await flush()) { database.keep(unwrittenReports: queue.takeAll()) }
    }

    /// Writes everything pending in one transaction; returns false (the batch kept, in order, to be tried
    /// again) when the store refuses it.
    @discardableResult
    func flush() async -> Bool {
        let batch = queue.takeAll()
        do {
            try await database.recordReceiverReports(batch)
            let recovered = failing.withLock { was in
                defer { was = false }
                return was
            }
            if recovered {
                logger.notice("receiver.reports-stored-again", metadata: ["reports": "\(batch.count)"])
            }
            return true
        } catch {
            queue.putBack(batch)
            let first = failing.withLock { was in
                defer { was = true }
                return !was
            }
            if first {
                logger.error(
                    "receiver.reports-not-stored",
                    metadata: ["reports": "\(batch.count)", "error": "\(error)", "fix": "free space in the state dir"]
                )
            }
            return false
        }
    }

    /// Every receiver's events: nothing else feeds the broadcast log.
    var subscription: TopicFilter { topics.allReceiverEvents }

    /// Takes one receiver event from the bus and hands it to the audiences.
    func receive(_ message: BusMessage) {
        guard let tail = topics.tail(of: message.topic, kind: "rx"), tail.hasSuffix("/events") else { return }
        let receiver = String(tail.dropLast("/events".count))
        guard let event = ReceiverEvent(recording: message.payload) else {
            logger.warning(
                "receiver.bad-event",
                metadata: ["receiver.id": "\(receiver)", "bytes": "\(message.payload.count)"]
            )
            return
        }
        if event.kind == .commandRejected {
            logger.warning(
                "receiver.rejected-command",
                metadata: [
                    "receiver.id": "\(receiver)", "reason": "\(event.reason ?? "?")", "seq": "\(event.seq ?? -1)",
                ]
            )
        }
        audiences.record(event, from: receiver)
    }
}
