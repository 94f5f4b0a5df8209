import Foundation
import LoaCore
import LoaStore
import Logging
import ServiceLifecycle
import Synchronization

/// Writes receivers' reports into the broadcast log, per receiver: a `play` accepted is `acked`, a session
/// started is `playing`, finished is `played`, cut is `interrupted`; a rejection is logged as a warning (the
/// monitor counts it per receiver). Malformed events are counted and dropped: network input never crashes
/// the controller.
///
/// Reports are filed by the recorder's own service, a batch per transaction: at a session's start every
/// receiver acknowledges and starts within a few milliseconds, and a durable write per event on the message
/// path would hold up the broker link and the threads the streamer runs on.
final class ReceiverEventRecorder: Service, InboundConsumer, Sendable {
    let topics: TopicTree
    let database: LoaDatabase
    let sessions: SessionRegistry
    let logger: Logger
    let pending = Mutex<[ReceiverReportUpdate]>([])
    /// Wakes the writer; one buffered wake-up covers any number of pending reports.
    let wakeUps: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    init(topics: TopicTree, database: LoaDatabase, sessions: SessionRegistry, logger: Logger) {
        self.topics = topics
        self.database = database
        self.sessions = sessions
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Files pending reports until graceful shutdown, then files what is left.
    func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeUps { await flush() }
        } onGracefulShutdown: {
            self.wake.finish()
        }
        await flush()
    }

    /// Writes everything pending in one transaction.
    func flush() async {
        let batch = pending.withLock { reports in
            defer { reports.removeAll(keepingCapacity: true) }
            return reports
        }
        do {
            try await database.recordReceiverReports(batch)
        } catch {
            logger.error("receiver.reports-not-stored", metadata: ["reports": "\(batch.count)", "error": "\(error)"])
        }
    }

    /// Every receiver's events: nothing else feeds the broadcast log.
    var subscription: TopicFilter { topics.allReceiverEvents }

    /// Takes one receiver event from the bus and queues its report for the writer.
    func receive(_ message: BusMessage) {
        guard let tail = topics.tail(of: message.topic, kind: "rx"), tail.hasSuffix("/events") else { return }
        let receiver = String(tail.dropLast("/events".count))
        guard message.payload.count <= 2048,
            let event = try? JSONDecoder().decode(ReceiverEvent.self, from: Data(message.payload)),
            event.v == TopicTree.protocolVersion
        else {
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
            return
        }
        let state: BroadcastReceiverReport.State? =
            switch event.kind {
            case .sessionStarted: .playing
            case .sessionFinished: .played
            case .sessionAborted: .interrupted
            case .underrun: nil
            case .commandAccepted: event.cmd == .play ? .acked : nil
            case .commandRejected: nil
            }
        guard let state, let session = event.session, let broadcast = sessions.broadcast(of: session) else { return }
        let at = Date(timeIntervalSince1970: Double(event.at) / 1_000_000)
        pending.withLock {
            $0.append(
                .init(broadcast: broadcast, receiver: receiver, state: state, at: at, detail: Self.detail(of: event))
            )
        }
        wake.yield()
    }

    /// Why a session was cut, and what its playback had to conceal, in a few words for the log.
    static func detail(of event: ReceiverEvent) -> String? {
        var parts = [event.reason, event.detail].compactMap { $0 }
        if let concealed = event.concealed, concealed > 0 { parts.append("concealed \(concealed)") }
        if let underruns = event.underruns, underruns > 0 { parts.append("underruns \(underruns)") }
        if let late = event.lateFrames, late > 0 { parts.append("late frames \(late)") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
